import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { DatasetSpec } from "@gyre/spec";
import { checkRow, type RowProblemKind, type TypedRow } from "../src/rowCheck.ts";
import { everyTypeSpec, numericLabelSpec } from "./specs.ts";

const csvRow = {
  date: "2012-01-01",
  temp_max: "12.8",
  wind: "4.7",
  visits: "3",
  station: "north",
  holiday: "false",
  weather: "rain",
};

const typedCsvRow: TypedRow = {
  date: "2012-01-01T00:00:00.000Z",
  temp_max: 12.8,
  wind: 4.7,
  visits: 3,
  station: "north",
  holiday: false,
  weather: "rain",
};

/** csvRow with some cells replaced; undefined removes the key. */
function rowWith(changes: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = { ...csvRow, ...changes };
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete row[key];
  return row;
}

describe("checkRow accepts and types", () => {
  const cases: { name: string; raw: Record<string, unknown>; expected: TypedRow }[] = [
    { name: "a CSV row of strings", raw: csvRow, expected: typedCsvRow },
    {
      name: "a JSON row of typed values",
      raw: { ...csvRow, temp_max: 12.8, wind: 4.7, visits: 3, holiday: false },
      expected: typedCsvRow,
    },
    {
      name: "a datetime with an offset, converted to UTC",
      raw: rowWith({ date: "2012-01-01T08:30:00+02:00" }),
      expected: { ...typedCsvRow, date: "2012-01-01T06:30:00.000Z" },
    },
    {
      name: "a datetime without an offset, read as UTC",
      raw: rowWith({ date: "2012-01-01 08:30:15.5" }),
      expected: { ...typedCsvRow, date: "2012-01-01T08:30:15.500Z" },
    },
    {
      name: "a leap day",
      raw: rowWith({ date: "2012-02-29" }),
      expected: { ...typedCsvRow, date: "2012-02-29T00:00:00.000Z" },
    },
    {
      name: 'an empty nullable cell ("") as null',
      raw: rowWith({ wind: "" }),
      expected: { ...typedCsvRow, wind: null },
    },
    {
      name: "a JSON null in a nullable column",
      raw: rowWith({ wind: null }),
      expected: { ...typedCsvRow, wind: null },
    },
    {
      name: "a missing nullable key as null",
      raw: rowWith({ wind: undefined }),
      expected: { ...typedCsvRow, wind: null },
    },
    { name: "a value on the maximum", raw: rowWith({ temp_max: "50" }), expected: { ...typedCsvRow, temp_max: 50 } },
    { name: "scientific notation", raw: rowWith({ temp_max: "-1.5e1" }), expected: { ...typedCsvRow, temp_max: -15 } },
    { name: 'an integer written "2.0"', raw: rowWith({ visits: "2.0" }), expected: { ...typedCsvRow, visits: 2 } },
    { name: 'a boolean "TRUE"', raw: rowWith({ holiday: "TRUE" }), expected: { ...typedCsvRow, holiday: true } },
    {
      name: "a category with spaces, trimmed",
      raw: rowWith({ station: " south " }),
      expected: { ...typedCsvRow, station: "south" },
    },
    {
      name: "a row with unknown columns, which are dropped",
      raw: { ...csvRow, location: "Seattle" },
      expected: typedCsvRow,
    },
  ];
  for (const { name, raw, expected } of cases) {
    test(name, () => {
      assert.deepEqual(checkRow(everyTypeSpec, raw, 0), { ok: true, row: expected });
    });
  }
});

const NOT_A_TIMESTAMP = "expected an ISO 8601 date or datetime, e.g. 2012-01-31 or 2012-01-31T08:00:00Z";

/** [behaviour, the one changed cell, problem kind, reason]: the problem is reported for the changed column. */
type ProblemCase = [name: string, change: Record<string, unknown>, kind: RowProblemKind, reason: string];

function assertOneProblem(
  spec: DatasetSpec,
  raw: Record<string, unknown>,
  column: string,
  kind: string,
  reason: string,
) {
  const checked = checkRow(spec, raw, 7);
  assert.equal(checked.ok, false);
  const problems = checked.ok ? [] : checked.problems;
  assert.deepEqual(
    problems.map(({ row, column, kind, reason }) => ({ row, column, kind, reason })),
    [{ row: 7, column, kind, reason }],
  );
}

describe("checkRow reports", () => {
  const cases: ProblemCase[] = [
    ["a non-numeric number", { temp_max: "abc" }, "type", 'temp_max "abc": expected a number'],
    ["hexadecimal", { temp_max: "0x10" }, "type", 'temp_max "0x10": expected a number'],
    ['the string "NaN"', { temp_max: "NaN" }, "not_finite", 'temp_max "NaN": expected a finite number, not NaN'],
    [
      'the string "Infinity"',
      { temp_max: "Infinity" },
      "not_finite",
      'temp_max "Infinity": expected a finite number, not Infinity',
    ],
    [
      'the string "-Infinity"',
      { temp_max: "-Infinity" },
      "not_finite",
      'temp_max "-Infinity": expected a finite number, not -Infinity',
    ],
    ["a JSON NaN", { temp_max: Number.NaN }, "not_finite", 'temp_max "NaN": expected a finite number, not NaN'],
    [
      "a JSON Infinity",
      { temp_max: Number.POSITIVE_INFINITY },
      "not_finite",
      'temp_max "Infinity": expected a finite number, not Infinity',
    ],
    [
      "a number that overflows",
      { temp_max: "1e999" },
      "not_finite",
      'temp_max "1e999": the number is too large and overflows to Infinity',
    ],
    ["a JSON boolean where a number belongs", { temp_max: true }, "type", 'temp_max "true": expected a number'],
    ["a value above the maximum", { temp_max: "60" }, "range", 'temp_max "60": above the maximum 50'],
    ["a value below the minimum", { temp_max: -41 }, "range", 'temp_max "-41": below the minimum -40'],
    ["an empty non-nullable cell", { temp_max: "" }, "null", "temp_max is empty, and the feature is not nullable"],
    [
      "a missing non-nullable key",
      { temp_max: undefined },
      "null",
      "temp_max is empty, and the feature is not nullable",
    ],
    ['an integer written "2.5"', { visits: "2.5" }, "type", 'visits "2.5": expected an integer'],
    [
      "an integer beyond 2^53",
      { visits: "9007199254740993" },
      "type",
      'visits "9007199254740993": expected an integer within ±(2^53 − 1), where it is exact',
    ],
    ["an integer below the minimum", { visits: "-1" }, "range", 'visits "-1": below the minimum 0'],
    ["an unknown category", { station: "west" }, "category", 'station "west": not one of the categories north, south'],
    ["a number where a category belongs", { station: 1 }, "type", 'station "1": expected a string'],
    [
      "a boolean that is neither true nor false",
      { holiday: "yes" },
      "type",
      'holiday "yes": expected a boolean ("true" or "false")',
    ],
    ["an unparseable timestamp", { date: "yesterday" }, "type", `date "yesterday": ${NOT_A_TIMESTAMP}`],
    ["a day that does not exist", { date: "2023-02-29" }, "type", `date "2023-02-29": ${NOT_A_TIMESTAMP}`],
    ["month 13", { date: "2012-13-01" }, "type", `date "2012-13-01": ${NOT_A_TIMESTAMP}`],
    ["hour 25", { date: "2012-01-01T25:00:00Z" }, "type", `date "2012-01-01T25:00:00Z": ${NOT_A_TIMESTAMP}`],
    ["an epoch number as a timestamp", { date: 1325376000000 }, "type", `date "1325376000000": ${NOT_A_TIMESTAMP}`],
    ["an empty label", { weather: "" }, "label_missing", "weather is empty; every row needs a label"],
    ["a missing label key", { weather: undefined }, "label_missing", "weather is empty; every row needs a label"],
    [
      "a label that is not a class",
      { weather: "hail" },
      "label_class",
      'weather "hail": not one of the label classes drizzle, fog, rain, snow, sun',
    ],
  ];
  for (const [name, change, kind, reason] of cases) {
    test(name, () => assertOneProblem(everyTypeSpec, rowWith(change), Object.keys(change)[0] as string, kind, reason));
  }

  const numericLabelCases: ProblemCase[] = [
    ["a NaN numeric label", { rainfall: "NaN" }, "not_finite", 'rainfall "NaN": expected a finite number, not NaN'],
    ["a non-numeric numeric label", { rainfall: "wet" }, "type", 'rainfall "wet": expected a number'],
    ["a null numeric label", { rainfall: null }, "label_missing", "rainfall is empty; every row needs a label"],
  ];
  for (const [name, change, kind, reason] of numericLabelCases) {
    test(name, () => assertOneProblem(numericLabelSpec, { date: "2012-01-01", ...change }, "rainfall", kind, reason));
  }
});

describe("checkRow", () => {
  test("reports every problem in a row, in spec order", () => {
    const checked = checkRow(everyTypeSpec, rowWith({ temp_max: "NaN", station: "west", weather: "" }), 3);
    assert.equal(checked.ok, false);
    assert.deepEqual(checked.ok ? [] : checked.problems.map((problem) => [problem.column, problem.kind]), [
      ["temp_max", "not_finite"],
      ["station", "category"],
      ["weather", "label_missing"],
    ]);
  });

  test("keeps the raw value as a string cut to 100 characters", () => {
    const checked = checkRow(everyTypeSpec, rowWith({ station: "x".repeat(300) }), 0);
    assert.equal(checked.ok, false);
    const [problem] = checked.ok ? [] : checked.problems;
    assert.equal(problem?.value.length, 100);
    assert.ok(problem?.value.startsWith("xxx"));
  });

  test('keeps a column named "__proto__" as data', () => {
    const spec = {
      ...everyTypeSpec,
      features: [...everyTypeSpec.features, { name: "__proto__", type: "numeric" as const, nullable: false }],
    };
    const raw: Record<string, unknown> = JSON.parse(`{"__proto__": "1", ${JSON.stringify(csvRow).slice(1)}`);
    assert.ok(Object.hasOwn(raw, "__proto__"));
    const checked = checkRow(spec, raw, 0);
    assert.equal(checked.ok, true);
    assert.equal(checked.ok && Object.getPrototypeOf(checked.row), Object.prototype);
    assert.equal(checked.ok && Object.hasOwn(checked.row, "__proto__"), true);
  });
});
