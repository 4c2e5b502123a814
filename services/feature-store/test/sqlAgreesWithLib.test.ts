import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { mulberry32 } from "@gyre/model";
import { type DatasetSpec, datasetSpecSchema, parseDatasetSpec, type TransformSpec, withTransforms } from "@gyre/spec";
import { writeBatch } from "../src/batchWriter.ts";
import { tableLayout } from "../src/layout.ts";
import { featureTypes } from "../src/pgValues.ts";
import { featureRowsSql, ROW_ORDER } from "../src/readQuery.ts";
import { migratedPool } from "./harness.ts";
import { specWith } from "./weather.ts";

// The feature store computes lags and rolling means in SQL when rows are read; serving, monitoring and the CLI
// compute them with @gyre/spec. This holds the two together: the same rows, written in batches that arrive out of
// order, give every transform column the same value from both, compared with Object.is (float for float, and null
// where null), for every row.

const REPO = new URL("../../../", import.meta.url);

/** More transforms than the examples: every kind, and transforms that read other transforms. */
const EXTRA: TransformSpec[] = [
  { kind: "datePart", name: "weekday", from: "date", part: "dayOfWeek" },
  { kind: "datePart", name: "day_of_year", from: "date", part: "dayOfYear" },
  { kind: "ratio", name: "wind_per_rain", numerator: "wind", denominator: "precipitation" },
  { kind: "lag", name: "temp_min_lag3", column: "temp_min", lag: 3 },
  { kind: "rollingMean", name: "wind_mean_30", column: "wind", window: 30 },
  { kind: "lag", name: "wind_per_rain_lag1", column: "wind_per_rain", lag: 1 },
  { kind: "rollingMean", name: "temp_max_lag1_mean_5", column: "temp_max_lag1", window: 5 },
  { kind: "ratio", name: "lag_ratio", numerator: "temp_max_lag1", denominator: "temp_min_lag3" },
  // the label as a feature, and time windows (a duration instead of a row count)
  { kind: "lag", name: "weather_lag1", column: "weather", lag: 1 },
  { kind: "lag", name: "weather_lag_2d", column: "weather", lag: "2d" },
  { kind: "lag", name: "temp_max_lag_36h", column: "temp_max", lag: "36h" },
  { kind: "rollingMean", name: "wind_mean_7d", column: "wind", window: "7d" },
  { kind: "rollingMean", name: "temp_max_lag1_mean_3d", column: "temp_max_lag1", window: "3d" },
  { kind: "lag", name: "wind_mean_7d_lag1", column: "wind_mean_7d", lag: 1 },
];

function exampleSpec(file: string, name: string): DatasetSpec {
  const spec = parseDatasetSpec(readFileSync(new URL(`examples/${file}`, REPO), "utf8"));
  return datasetSpecSchema.parse({ ...spec, name, transforms: [...spec.transforms, ...EXTRA] });
}

/** A vega-datasets CSV as rows typed the way validation writes them (numbers, ISO times). */
function csvRows(file: string, spec: DatasetSpec): Record<string, unknown>[] {
  const text = readFileSync(new URL(`node_modules/vega-datasets/data/${file}`, REPO), "utf8");
  const [header = "", ...lines] = text.trim().split("\n");
  const names = header.trim().split(",");
  const types = new Map(spec.features.map((feature) => [feature.name, feature.type]));
  return lines.map((line) => {
    const cells = line.trim().split(",");
    return Object.fromEntries(
      names.map((name, at) => {
        const cell = cells[at] ?? "";
        const type = types.get(name);
        if (type === "numeric" || type === "integer") return [name, Number(cell)];
        if (type === "timestamp") return [name, `${cell}T00:00:00.000Z`];
        return [name, cell];
      }),
    );
  });
}

/** Rows cut into batches of `size` and written in a shuffled order, so later days often arrive first. */
function shuffledBatches(rows: readonly Record<string, unknown>[], size: number, seed: number) {
  const batches: Record<string, unknown>[][] = [];
  for (let start = 0; start < rows.length; start += size) batches.push(rows.slice(start, start + size));
  const random = mulberry32(seed);
  for (let at = batches.length - 1; at > 0; at--) {
    const other = Math.floor(random() * (at + 1));
    [batches[at], batches[other]] = [
      batches[other] as Record<string, unknown>[],
      batches[at] as Record<string, unknown>[],
    ];
  }
  return batches;
}

/** A generated stream: three sensors, hours out of order, ties in event time, missing values, an integer column. */
function sensorStream(): { spec: DatasetSpec; batches: Record<string, unknown>[][] } {
  const spec = specWith({
    name: "sensors",
    eventTime: "time",
    entityKey: "sensor",
    features: [
      { name: "time", type: "timestamp" },
      { name: "sensor", type: "categorical", categories: ["a", "b", "c"] },
      { name: "temp", type: "numeric", nullable: true },
      { name: "count", type: "integer", nullable: true },
    ],
    label: { name: "target", type: "numeric" },
    transforms: [
      { kind: "datePart", name: "hour", from: "time", part: "hour" },
      { kind: "lag", name: "temp_lag1", column: "temp", lag: 1 },
      { kind: "lag", name: "temp_lag4", column: "temp", lag: 4 },
      { kind: "rollingMean", name: "temp_mean3", column: "temp", window: 3 },
      { kind: "rollingMean", name: "count_mean7", column: "count", window: 7 },
      { kind: "ratio", name: "temp_change", numerator: "temp", denominator: "temp_lag1" },
      { kind: "lag", name: "change_lag2", column: "temp_change", lag: 2 },
      { kind: "lag", name: "count_lag1", column: "count", lag: 1 },
      { kind: "rollingMean", name: "change_mean4", column: "temp_change", window: 4 },
      { kind: "lag", name: "target_lag1", column: "target", lag: 1 },
      { kind: "lag", name: "target_lag_2h", column: "target", lag: "2h" },
      { kind: "lag", name: "temp_lag_3h", column: "temp", lag: "3h" },
      { kind: "rollingMean", name: "temp_mean_6h", column: "temp", window: "6h" },
      { kind: "rollingMean", name: "change_mean_5h", column: "temp_change", window: "5h" },
      { kind: "rollingMean", name: "count_mean_1d", column: "count", window: "1d" },
    ],
  });
  const random = mulberry32(7);
  const rows = Array.from({ length: 1200 }, () => ({
    // 200 hours for 1,200 rows: many rows of one sensor share an hour
    time: new Date(Date.UTC(2024, 0, 1) + Math.floor(random() * 200) * 3_600_000).toISOString(),
    sensor: ["a", "b", "c"][Math.floor(random() * 3)] as string,
    temp: random() < 0.15 ? null : Math.round((random() * 40 - 10) * 1000) / 1000 + random() / 3,
    count: random() < 0.1 ? null : Math.floor(random() * 50),
    target: random(),
  }));
  return { spec, batches: shuffledBatches(rows, 37, 11) };
}

describe("SQL window functions and @gyre/spec compute the same features, row for row", () => {
  const db = migratedPool();

  /** Writes the batches in order, then compares every transform column of every row, SQL against the lib. */
  async function assertAgreement(spec: DatasetSpec, batches: readonly Record<string, unknown>[][]): Promise<number> {
    const layout = tableLayout(spec);
    const arrived: Record<string, unknown>[] = [];
    const keys: string[] = [];
    for (const [number, rows] of batches.entries()) {
      const batchId = `${spec.name}-${number}`;
      await writeBatch(db(), {
        batchId,
        sha256: "0".repeat(64),
        specRevision: 1,
        rowsKey: `validated/${spec.name}/${batchId}.ndjson`,
        spec,
        layout,
        openRows: () => [rows],
      });
      arrived.push(...rows);
      keys.push(...rows.map((_, index) => `${batchId}/${index}`));
    }
    // Arrival order is (batch, row), the order the store breaks ties in.
    const computed = withTransforms(spec, arrived);
    const byKey = new Map(keys.map((key, at) => [key, computed[at] as Record<string, unknown>]));
    const { rows } = await db().query<Record<string, unknown>>({
      text: `${featureRowsSql(layout, "true")} ORDER BY ${ROW_ORDER}`,
      types: featureTypes,
    });
    assert.equal(rows.length, arrived.length);
    let compared = 0;
    const valued = new Set<string>();
    for (const row of rows) {
      const key = `${row._batch_id}/${row._row_index}`;
      const lib = byKey.get(key);
      assert.ok(lib, `no lib row for ${key}`);
      for (const transform of spec.transforms) {
        const sql = row[transform.name] ?? null;
        const mine = lib[transform.name] ?? null;
        assert.ok(
          Object.is(sql, mine),
          `${spec.name} ${key} (${row._entity_key} ${(row._event_time as Date).toISOString()}) ${transform.name}: SQL ${sql}, lib ${mine}`,
        );
        compared += 1;
        if (sql !== null) valued.add(transform.name);
      }
    }
    // no transform agrees only by being null everywhere
    assert.deepEqual(
      spec.transforms.map((transform) => transform.name).filter((name) => !valued.has(name)),
      [],
    );
    return compared;
  }

  test("weather.csv (Seattle and New York), batches of a week in shuffled order", async () => {
    const spec = exampleSpec("weather.spec.yaml", "weather");
    const compared = await assertAgreement(spec, shuffledBatches(csvRows("weather.csv", spec), 7, 1));
    assert.equal(compared, 2922 * spec.transforms.length);
  });

  test("seattle-weather.csv (no entity key), batches of 10 days in shuffled order", async () => {
    const spec = exampleSpec("seattle-weather.spec.yaml", "seattle-weather");
    const compared = await assertAgreement(spec, shuffledBatches(csvRows("seattle-weather.csv", spec), 10, 2));
    assert.equal(compared, 1461 * spec.transforms.length);
  });

  test("a generated stream out of order, with ties in event time, missing values and chained transforms", async () => {
    const { spec, batches } = sensorStream();
    const compared = await assertAgreement(spec, batches);
    assert.equal(compared, 1200 * spec.transforms.length);
  });
});
