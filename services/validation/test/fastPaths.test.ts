import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parse } from "csv-parse/sync";
import { isDecimal } from "../src/cells.ts";
import { plainCsvRecords } from "../src/csvBatch.ts";
import { parseIsoTimestamp } from "../src/timestamp.ts";

describe("plainCsvRecords reads plain CSV exactly as csv-parse does", () => {
  const plain = [
    "a,b\n1,2\n3,4",
    "a,b\n1,2\n3,4\n",
    "a,b\n\n1,2\n\n\n3,4\n",
    "a\n \n\n2",
    "a,b,a\n1,,3\n",
    "ts,f0,label\n2024-01-01T00:00:00.000Z,1.5,a\n",
    "only,a,header\n",
    "",
    "\n\n",
  ];
  for (const text of plain) {
    test(`reads ${JSON.stringify(text)} itself`, () => {
      const records = plainCsvRecords(text);
      assert.ok(records !== undefined);
      assert.deepEqual(records, parse(text, { bom: true, skip_empty_lines: true }));
    });
  }

  const other: [string, string][] = [
    ["a quote", 'a,b\n1,"2"\n'],
    ["a carriage return", "a,b\r\n1,2\r\n"],
    ["a byte-order mark", "\uFEFFa,b\n1,2\n"],
    ["a row with too many fields", "a,b\n1,2,3\n"],
    ["a row with too few fields", "a,b\n1\n"],
  ];
  for (const [what, text] of other) {
    test(`leaves CSV with ${what} to csv-parse`, () => assert.equal(plainCsvRecords(text), undefined));
  }
});

describe("isDecimal agrees with the decimal pattern it replaces", () => {
  const pattern = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
  const cases = [
    ...["0", "12", "-3", "+4", "1.", "1.5", ".5", "-.5", "+.5e3", "1e5", "1E-5", "2.5e+10", "007", "-0"],
    ...["", ".", "-", "+", "e5", ".e5", "1e", "1e+", "1.5.2", "0x10", "0b1", "1_000", "1,5", " 1", "1 ", "--1"],
    ...["Infinity", "NaN", "1e5e5", "١٢", "1d", "+-1", "5.e", "5.e1"],
  ];
  for (const text of cases) {
    test(`${JSON.stringify(text)}: ${pattern.test(text)}`, () => assert.equal(isDecimal(text), pattern.test(text)));
  }
});

describe("parseIsoTimestamp keeps times already in toISOString form, if the day and time exist", () => {
  const cases: [string, string | undefined][] = [
    ["2024-01-01T00:00:00.000Z", "2024-01-01T00:00:00.000Z"],
    ["2012-02-29T23:59:59.999Z", "2012-02-29T23:59:59.999Z"],
    ["0050-06-01T00:00:00.000Z", "0050-06-01T00:00:00.000Z"],
    ["2000-02-29T12:00:00.000Z", "2000-02-29T12:00:00.000Z"],
    ["1900-02-29T12:00:00.000Z", undefined],
    ["2023-02-30T00:00:00.000Z", undefined],
    ["2023-04-31T00:00:00.000Z", undefined],
    ["2023-13-01T00:00:00.000Z", undefined],
    ["2023-00-10T00:00:00.000Z", undefined],
    ["2023-01-00T00:00:00.000Z", undefined],
    ["2023-01-01T24:00:00.000Z", undefined],
    ["2023-01-01T23:60:00.000Z", undefined],
    ["2023-01-01T23:00:60.000Z", undefined],
    ["2023-01-01T23:00:00.000z", undefined],
    ["2023-01-01 23:00:00.000Z", "2023-01-01T23:00:00.000Z"],
  ];
  for (const [text, expected] of cases) {
    test(`${text} → ${expected ?? "not a timestamp"}`, () => assert.equal(parseIsoTimestamp(text), expected));
  }
});
