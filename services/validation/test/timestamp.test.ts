import assert from "node:assert/strict";
import { test } from "node:test";
import { parseIsoTimestamp } from "../src/timestamp.ts";

const cases: [text: string, expected: string | undefined][] = [
  ["2012-01-31", "2012-01-31T00:00:00.000Z"],
  ["2012-01-31T08:00Z", "2012-01-31T08:00:00.000Z"],
  ["2012-01-31T08:00:00", "2012-01-31T08:00:00.000Z"],
  ["2012-01-31T08:00:00.123456789Z", "2012-01-31T08:00:00.123Z"],
  ["2012-01-31T08:00:00,5Z", "2012-01-31T08:00:00.500Z"],
  ["2012-01-31T05:30:00+0530", "2012-01-31T00:00:00.000Z"],
  ["2012-01-31T23:00:00-01:00", "2012-02-01T00:00:00.000Z"],
  ["0050-06-01", "0050-06-01T00:00:00.000Z"],
  ["2000-02-29", "2000-02-29T00:00:00.000Z"],
  ["1900-02-29", undefined],
  ["2012-1-31", undefined],
  ["2012-01-31T24:00:00Z", undefined],
  ["2012-01-31T08:60Z", undefined],
  ["2012-01-31T08:00:60Z", undefined],
  ["2012-01-31T08:00:00+24:00", undefined],
  ["2012-01-31T08:00:00 UTC", undefined],
  ["31/01/2012", undefined],
  ["", undefined],
];

for (const [text, expected] of cases) {
  test(`reads ${JSON.stringify(text)} as ${expected ?? "not a timestamp"}`, () => {
    assert.equal(parseIsoTimestamp(text), expected);
  });
}
