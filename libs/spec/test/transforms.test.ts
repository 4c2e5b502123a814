import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { TransformSpec } from "@gyre/spec";
import {
  type DatePart,
  datePart,
  normalizeTimestamp,
  parseUtcMillis,
  RowValueError,
  ratio,
  writeTransformValues,
} from "../src/transforms.ts";

describe("datePart reads the part in UTC", () => {
  const cases: { iso: string; part: DatePart; expected: number }[] = [
    { iso: "2012-01-01T00:00:00Z", part: "month", expected: 1 },
    { iso: "2012-12-31T23:59:59Z", part: "month", expected: 12 },
    { iso: "2012-01-01T00:00:00Z", part: "dayOfYear", expected: 1 },
    { iso: "2012-12-31T12:00:00Z", part: "dayOfYear", expected: 366 },
    { iso: "2013-12-31T12:00:00Z", part: "dayOfYear", expected: 365 },
    { iso: "2012-03-01T00:00:00Z", part: "dayOfYear", expected: 61 },
    { iso: "2012-01-01T00:00:00Z", part: "dayOfWeek", expected: 0 },
    { iso: "2012-01-07T00:00:00Z", part: "dayOfWeek", expected: 6 },
    { iso: "2012-01-01T23:30:00Z", part: "hour", expected: 23 },
    { iso: "2012-01-01T23:30:00-02:00", part: "hour", expected: 1 },
    { iso: "2012-01-01T23:30:00-02:00", part: "dayOfWeek", expected: 1 },
    { iso: "1999-12-31T23:00:00-05:00", part: "year", expected: 2000 },
  ];
  for (const { iso, part, expected } of cases) {
    test(`${part} of ${iso} is ${expected}`, () => {
      const millis = parseUtcMillis(iso);
      assert.ok(millis !== undefined);
      assert.equal(datePart(millis, part), expected);
    });
  }
});

describe("ratio is null when it is undefined", () => {
  const cases: { numerator: number | null; denominator: number | null; expected: number | null }[] = [
    { numerator: 6, denominator: 3, expected: 2 },
    { numerator: -1, denominator: 4, expected: -0.25 },
    { numerator: 0, denominator: 5, expected: 0 },
    { numerator: 5, denominator: 0, expected: null },
    { numerator: 5, denominator: -0, expected: null },
    { numerator: null, denominator: 2, expected: null },
    { numerator: 2, denominator: null, expected: null },
  ];
  for (const { numerator, denominator, expected } of cases) {
    test(`${numerator} / ${denominator} → ${expected}`, () => assert.equal(ratio(numerator, denominator), expected));
  }
});

describe("parseUtcMillis takes times without an offset as UTC", () => {
  const cases: { text: string; expected: string | undefined }[] = [
    { text: "2012-01-31", expected: "2012-01-31T00:00:00.000Z" },
    { text: "2012-01-31T08:15", expected: "2012-01-31T08:15:00.000Z" },
    { text: "2012-01-31 08:15:30.5", expected: "2012-01-31T08:15:30.500Z" },
    { text: "2012-01-31T08:00:00+02:00", expected: "2012-01-31T06:00:00.000Z" },
    { text: "2012-01-31T08:00:00.000Z", expected: "2012-01-31T08:00:00.000Z" },
    { text: "yesterday", expected: undefined },
    { text: "2012-13-01", expected: undefined },
    { text: "2012-02-30", expected: undefined },
    { text: "2012-02-30T00:00:00.000Z", expected: undefined },
    { text: "2012-02-29T00:00:00.000Z", expected: "2012-02-29T00:00:00.000Z" },
    { text: " 2012-02-29 ", expected: "2012-02-29T00:00:00.000Z" },
    { text: "31/01/2012", expected: undefined },
  ];
  for (const { text, expected } of cases) {
    test(`${JSON.stringify(text)} → ${expected}`, () => {
      const millis = parseUtcMillis(text);
      assert.equal(millis === undefined ? undefined : new Date(millis).toISOString(), expected);
    });
  }
  test("normalizeTimestamp names the column of a value it cannot read", () => {
    assert.equal(normalizeTimestamp(null, "date"), null);
    assert.throws(() => normalizeTimestamp(20120101, "date"), {
      name: "RowValueError",
      message: /column "date": 20120101/,
    });
  });
  test("normalizeTimestamp gives a value read twice in a row the same answer, and still refuses what follows", () => {
    for (const text of ["2012-01-31 08:15", "2012-01-31 08:15", "2012-01-31T08:15:00.000Z"]) {
      assert.equal(normalizeTimestamp(text, "date"), "2012-01-31T08:15:00.000Z");
    }
    for (const text of ["", "", "yesterday"]) assert.throws(() => normalizeTimestamp(text, "date"), RowValueError);
  });
});

describe("writeTransformValues computes datePart and ratio columns in spec order", () => {
  const transforms: TransformSpec[] = [
    { kind: "datePart", name: "month", from: "date", part: "month" },
    { kind: "ratio", name: "range_ratio", numerator: "temp_max", denominator: "temp_min" },
    { kind: "ratio", name: "month_ratio", numerator: "month", denominator: "temp_min" },
  ];
  const cases: { name: string; row: Record<string, unknown>; expected: Record<string, unknown> }[] = [
    {
      name: "a full row; a later transform reads an earlier one",
      row: { date: "2012-03-05T00:00:00.000Z", temp_max: 10, temp_min: 4 },
      expected: { month: 3, range_ratio: 2.5, month_ratio: 0.75 },
    },
    {
      name: "a zero denominator and a missing date",
      row: { date: null, temp_max: 10, temp_min: 0 },
      expected: { month: null, range_ratio: null, month_ratio: null },
    },
    {
      name: "missing columns count as null",
      row: { date: "2012-11-01" },
      expected: { month: 11, range_ratio: null, month_ratio: null },
    },
  ];
  for (const { name, row, expected } of cases) {
    test(name, () => {
      assert.deepEqual(writeTransformValues(row, transforms), expected);
    });
  }
  test("a value a transform cannot use fails with the transform, the column and the value", () => {
    assert.throws(
      () => writeTransformValues({ date: "2012-01-01", temp_max: "warm", temp_min: 1 }, transforms),
      (err) => err instanceof RowValueError && /"range_ratio".*"temp_max".*"warm"/.test(err.message),
    );
    assert.throws(() => writeTransformValues({ date: "soon" }, transforms), /"month".*"date".*"soon"/);
  });
  test("lag and rolling means are refused: they are computed when read", () => {
    assert.throws(
      () => writeTransformValues({ x: 1 }, [{ kind: "lag", name: "x_lag", column: "x", lag: 1 }]),
      /reads earlier rows, not one row/,
    );
  });
});
