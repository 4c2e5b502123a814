import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { DatasetSpec } from "@gyre/spec";
import { historyColumns, withTransforms } from "../src/batchInputs.ts";
import { testedColumns } from "../src/windowSources.ts";
import { weatherSpec } from "./weather.ts";

const spec = weatherSpec();

function day(date: string, location: string, temp_max: number | null, precipitation: number | null) {
  return { location, date: `${date}T00:00:00.000Z`, temp_max, precipitation };
}

describe("withTransforms computes the spec's transforms inside one batch", () => {
  // Out of order on purpose: transforms follow event time per entity, and the output keeps the input order.
  const rows = [
    day("2015-01-03", "Seattle", 9, 2),
    day("2015-01-01", "Seattle", 7, 0),
    day("2015-01-01", "New York", 1, 5),
    day("2015-01-02", "Seattle", 8, null),
    day("2015-01-02", "New York", 3, 1),
  ];
  const output = withTransforms(spec, rows);

  const cases: { name: string; column: string; expected: (number | null)[] }[] = [
    { name: "month from the event time (UTC)", column: "month", expected: [1, 1, 1, 1, 1] },
    { name: "lag 1 of each entity's previous day", column: "temp_max_lag1", expected: [8, null, null, 7, 1] },
    {
      name: "rolling mean over the earlier rows, skipping missing values",
      column: "precipitation_mean_7",
      expected: [0, null, null, 0, 5],
    },
  ];
  for (const { name, column, expected } of cases) {
    test(name, () =>
      assert.deepEqual(
        output.map((row) => row[column]),
        expected,
      ),
    );
  }

  test("keeps every input column and row order", () => {
    assert.deepEqual(
      output.map((row) => [row.date, row.location]),
      rows.map((row) => [row.date, row.location]),
    );
  });

  test("rows with the same event time see only strictly earlier rows", () => {
    const tied = withTransforms(spec, [
      day("2015-01-01", "Seattle", 5, 1),
      day("2015-01-02", "Seattle", 6, 2),
      day("2015-01-02", "Seattle", 7, 4),
    ]);
    assert.deepEqual(
      tied.map((row) => [row.temp_max_lag1, row.precipitation_mean_7]),
      [
        [null, null],
        [5, 1],
        [5, 1],
      ],
    );
  });

  test("a ratio is null for a missing or zero denominator", () => {
    const withRatio: DatasetSpec = {
      ...spec,
      transforms: [{ kind: "ratio", name: "rain_per_degree", numerator: "precipitation", denominator: "temp_max" }],
    };
    const ratios = withTransforms(withRatio, [
      day("2015-01-01", "Seattle", 4, 2),
      day("2015-01-02", "Seattle", 0, 2),
      day("2015-01-03", "Seattle", null, 2),
    ]).map((row) => row.rain_per_degree);
    assert.deepEqual(ratios, [0.5, null, null]);
  });
});

describe("the columns each window source tests", () => {
  test("batches leave out lags, rolling means and what is computed from them", () => {
    const chained: DatasetSpec = {
      ...spec,
      transforms: [
        ...spec.transforms,
        { kind: "ratio", name: "lag_ratio", numerator: "temp_max_lag1", denominator: "temp_max" },
      ],
    };
    assert.deepEqual([...historyColumns(chained)], ["temp_max_lag1", "precipitation_mean_7", "lag_ratio"]);
    assert.deepEqual(testedColumns(chained, "batches"), ["precipitation", "temp_max", "temp_min", "wind", "month"]);
  });

  test("serving's logged inputs are tested on every model input", () => {
    assert.deepEqual(testedColumns(spec, "predictions"), [
      "precipitation",
      "temp_max",
      "temp_min",
      "wind",
      "month",
      "temp_max_lag1",
      "precipitation_mean_7",
    ]);
  });
});
