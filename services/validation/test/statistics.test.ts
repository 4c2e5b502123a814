import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parse } from "csv-parse/sync";
import type { CellValue } from "../src/cells.ts";
import { parseCsvBatch } from "../src/csvBatch.ts";
import { checkRow, type TypedRow } from "../src/rowCheck.ts";
import {
  batchStatistics,
  frequencyStatistics,
  type NumericStatistics,
  numericStatistics,
  timestampStatistics,
} from "../src/statistics.ts";
import { seattleWeatherSpec } from "./specs.ts";
import { vegaCsv } from "./vegaData.ts";

const seattleCsv = vegaCsv("seattle-weather.csv");

/** Numbers straight from csv-parse, without the service's own parsing. */
function independentColumn(column: string): number[] {
  const records: Record<string, string>[] = parse(seattleCsv, { columns: true });
  return records.map((record) => Number(record[column]));
}

function plainMean(values: number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

function plainSampleStd(values: number[]): number {
  const mean = plainMean(values);
  let squares = 0;
  for (const value of values) squares += (value - mean) ** 2;
  return Math.sqrt(squares / (values.length - 1));
}

/** numpy's default (linear, R type 7): h = (n − 1)p, then interpolate between the neighbours of h. */
function plainQuantile(sorted: number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const low = Math.floor(h);
  const below = sorted[low] as number;
  const above = sorted[Math.min(low + 1, sorted.length - 1)] as number;
  return below + (h - low) * (above - below);
}

function seattleRows(): TypedRow[] {
  const spec = seattleWeatherSpec();
  return parseCsvBatch(seattleCsv).rows.map((raw, index) => {
    const checked = checkRow(spec, raw, index);
    assert.ok(checked.ok, `row ${index} of seattle-weather.csv should be valid`);
    return checked.row;
  });
}

describe("batchStatistics on seattle-weather.csv", () => {
  const statistics = batchStatistics(seattleWeatherSpec(), seattleRows());

  test("counts the 1461 days of 2012 to 2015", () => {
    assert.equal(statistics.rowCount, 1461);
    assert.deepEqual(statistics.eventTimeRange, { min: "2012-01-01T00:00:00.000Z", max: "2015-12-31T00:00:00.000Z" });
  });

  test("counts the label classes", () => {
    assert.deepEqual(statistics.label, {
      kind: "frequencies",
      count: 1461,
      nullCount: 0,
      nullShare: 0,
      frequencies: { drizzle: 53, fog: 101, rain: 641, snow: 26, sun: 640 },
    });
  });

  test("knows the hottest and coldest maximum temperature", () => {
    const tempMax = statistics.features.temp_max as NumericStatistics;
    assert.equal(tempMax.min, -1.6);
    assert.equal(tempMax.max, 35.6);
  });

  for (const column of ["precipitation", "temp_max", "temp_min", "wind"]) {
    test(`matches plain arithmetic for ${column}`, () => {
      const values = independentColumn(column);
      const sorted = [...values].sort((a, b) => a - b);
      const middle = (sorted.length - 1) / 2;
      const median = sorted[middle] as number;
      const actual = statistics.features[column] as NumericStatistics;
      assert.equal(actual.kind, "numeric");
      assert.equal(actual.count, 1461);
      assert.equal(actual.nullCount, 0);
      assert.equal(actual.nullShare, 0);
      assert.equal(actual.min, Math.min(...values));
      assert.equal(actual.max, Math.max(...values));
      assertClose(actual.mean, plainMean(values));
      assertClose(actual.std, plainSampleStd(values));
      assertClose(actual.quantiles?.p50, median);
      for (const [name, p] of [
        ["p05", 0.05],
        ["p25", 0.25],
        ["p75", 0.75],
        ["p95", 0.95],
      ] as const) {
        assertClose(actual.quantiles?.[name], plainQuantile(sorted, p), name);
      }
    });
  }
});

describe("numericStatistics", () => {
  test("interpolates quantiles like numpy.percentile([1, 2, 3, 4])", () => {
    const expected = { p05: 1.15, p25: 1.75, p50: 2.5, p75: 3.25, p95: 3.85 };
    const quantiles = numericStatistics([1, 2, 3, 4]).quantiles;
    for (const [name, value] of Object.entries(expected)) {
      assertClose(quantiles?.[name as keyof typeof expected], value, name);
    }
  });

  test("uses the sample standard deviation (n − 1)", () => {
    // Population std of these values is exactly 2; the sample std is sqrt(32 / 7).
    assertClose(numericStatistics([2, 4, 4, 4, 5, 5, 7, 9]).std, Math.sqrt(32 / 7));
  });

  test("has no std for a single value", () => {
    const single = numericStatistics([3]);
    assert.equal(single.std, null);
    assert.equal(single.mean, 3);
  });

  test("counts nulls apart from values", () => {
    const withNulls = numericStatistics([1, null, 3, null]);
    assert.deepEqual(
      [withNulls.count, withNulls.nullCount, withNulls.nullShare, withNulls.mean, withNulls.min, withNulls.max],
      [2, 2, 0.5, 2, 1, 3],
    );
  });

  test("has no moments for a column of nulls", () => {
    assert.deepEqual(numericStatistics([null, null]), {
      kind: "numeric",
      count: 0,
      nullCount: 2,
      nullShare: 1,
      mean: null,
      std: null,
      min: null,
      max: null,
      quantiles: null,
    });
  });
});

describe("frequencyStatistics and timestampStatistics", () => {
  test("list every declared value, unseen ones as 0", () => {
    const values: CellValue[] = ["north", "north", null];
    assert.deepEqual(frequencyStatistics(values, ["north", "south"]), {
      kind: "frequencies",
      count: 2,
      nullCount: 1,
      nullShare: 1 / 3,
      frequencies: { north: 2, south: 0 },
    });
  });

  test("count booleans by their names", () => {
    assert.deepEqual(frequencyStatistics([true, false, true], ["false", "true"]).frequencies, { false: 1, true: 2 });
  });

  test("find the earliest and latest timestamp", () => {
    const values = ["2013-05-01T00:00:00.000Z", "2012-01-01T10:00:00.000Z", null, "2012-01-01T09:00:00.000Z"];
    assert.deepEqual(timestampStatistics(values), {
      kind: "timestamp",
      count: 3,
      nullCount: 1,
      nullShare: 0.25,
      min: "2012-01-01T09:00:00.000Z",
      max: "2013-05-01T00:00:00.000Z",
    });
  });
});

function assertClose(actual: number | null | undefined, expected: number, what = "value"): void {
  assert.equal(typeof actual, "number", `${what} should be a number, got ${actual}`);
  assert.ok(
    Math.abs((actual as number) - expected) <= 1e-9,
    `${what}: ${actual} differs from ${expected} by more than 1e-9`,
  );
}
