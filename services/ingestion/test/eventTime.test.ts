import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EventTimeSpan, eventTimeMs } from "../src/eventTime.ts";

describe("eventTimeMs reads ISO 8601 dates and datetimes as UTC", () => {
  const cases: [unknown, string | undefined][] = [
    ["2012-01-01", "2012-01-01T00:00:00.000Z"],
    ["2012-01-01T10:30", "2012-01-01T10:30:00.000Z"],
    ["2012-01-01 10:30:15", "2012-01-01T10:30:15.000Z"],
    ["2012-01-01T10:30:15.123456Z", "2012-01-01T10:30:15.123Z"],
    ["2012-01-28T23:59:59.999Z", "2012-01-28T23:59:59.999Z"],
    ["2024-02-29T08:00:00.000Z", "2024-02-29T08:00:00.000Z"],
    ["2023-02-29T08:00:00.000Z", undefined],
    ["2023-04-31T08:00:00.000Z", undefined],
    ["2023-00-10T08:00:00.000Z", undefined],
    ["2023-01-00T08:00:00.000Z", undefined],
    ["2023-01-10T25:00:00.000Z", undefined],
    ["2023-01-10T10:60:00.000Z", undefined],
    ["2012-01-01T10:30:15,5+02:00", "2012-01-01T08:30:15.500Z"],
    ["2012-01-01T10:30:15-0130", "2012-01-01T12:00:15.000Z"],
    [" 2012-01-01 ", "2012-01-01T00:00:00.000Z"],
    ["2024-02-29", "2024-02-29T00:00:00.000Z"],
    ["2023-02-29", undefined],
    ["2012-13-01", undefined],
    ["2012-01-01T25:00", undefined],
    ["01/02/2012", undefined],
    ["", undefined],
    [1325376000000, undefined],
    [null, undefined],
  ];
  for (const [value, expected] of cases) {
    test(`${JSON.stringify(value)} → ${expected ?? "unreadable"}`, () => {
      const ms = eventTimeMs(value);
      assert.equal(ms === undefined ? undefined : new Date(ms).toISOString(), expected);
    });
  }
});

describe("EventTimeSpan", () => {
  test("keeps the earliest and latest readable time and skips the rest", () => {
    const span = new EventTimeSpan();
    for (const value of ["2013-05-01", "bad", "2012-01-01T12:00:00Z", undefined, "2014-01-01"]) span.add(value);
    assert.deepEqual(span.range(), {
      eventTimeMin: "2012-01-01T12:00:00.000Z",
      eventTimeMax: "2014-01-01T00:00:00.000Z",
    });
  });

  test("is null at both ends when no time was readable", () => {
    const span = new EventTimeSpan();
    span.add("never");
    assert.deepEqual(span.range(), { eventTimeMin: null, eventTimeMax: null });
  });
});
