import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { createArtifactStore } from "@gyre/artifacts";
import { type DataArrived, type DataIngested, newEvent } from "@gyre/contracts";
import { serviceSchema } from "@gyre/service";
import { type SeattleDay, seattleWeatherDays, seattleWeatherParquet } from "@gyre/testkit";
import pg from "pg";
import { type Loop, startLoop } from "./harness.ts";

const DATASET = "seattle-weather";
const year = (days: readonly SeattleDay[], y: number) => days.filter((day) => day.date.startsWith(`${y}-`));
const csvOf = (days: readonly SeattleDay[]) =>
  `date,precipitation,temp_max,temp_min,wind,weather\n${days
    .map((d) => [d.date, d.precipitation, d.temp_max, d.temp_min, d.wind, d.weather].join(","))
    .join("\n")}\n`;
const ndjsonOf = (days: readonly SeattleDay[]) => days.map((day) => `${JSON.stringify(day)}\n`).join("");

describe("data path in Parquet and gzip: seattle-weather, a year per batch, from data.arrived to the feature store", () => {
  let loop: Loop;
  let db: pg.Client;
  const days = seattleWeatherDays();

  before(async () => {
    loop = await startLoop(["ingestion", "validation", "feature-store"]);
    db = new pg.Client({ connectionString: loop.infra.databaseUrl });
    await db.connect();
    await loop.applySpec("examples/seattle-weather.spec.yaml", DATASET);
    const producer = createArtifactStore({ ...loop.infra.s3, bucket: loop.bucket });
    await producer.put("incoming/2013.csv.gz", gzipSync(csvOf(year(days, 2013))));
    await producer.put("incoming/2015.parquet", seattleWeatherParquet(year(days, 2015), { rowGroupSize: 100 }));
    const arrivals: DataArrived[] = [
      {
        dataset: DATASET,
        batchKey: "2012.parquet",
        format: "parquet",
        rowsBase64: seattleWeatherParquet(year(days, 2012)).toString("base64"),
      },
      {
        dataset: DATASET,
        batchKey: "2013.csv.gz",
        format: "csv",
        compression: "gzip",
        ref: `s3://${loop.bucket}/incoming/2013.csv.gz`,
      },
      {
        dataset: DATASET,
        batchKey: "2014.ndjson.gz",
        format: "ndjson",
        compression: "gzip",
        rowsBase64: gzipSync(ndjsonOf(year(days, 2014))).toString("base64"),
      },
      {
        dataset: DATASET,
        batchKey: "2015.parquet",
        format: "parquet",
        ref: `s3://${loop.bucket}/incoming/2015.parquet`,
      },
    ];
    for (const arrival of arrivals) await loop.bus.publish(newEvent("data.arrived", "e2e", arrival), DATASET);
    await loop.waitFor("features.updated", arrivals.length, 180_000);
  });

  after(async () => {
    await db?.end();
    await loop?.close();
  });

  it("validates every batch and stores every row once in the offline store", async () => {
    assert.equal(loop.seen("data.rejected").length, 0);
    assert.deepEqual(
      loop
        .seen("data.ingested")
        .map((event) => (event.data as DataIngested).objectKey.replace(/^.*\/[0-9a-f]{64}/, ""))
        .sort(),
      [".csv.gz", ".ndjson.gz", ".parquet", ".parquet"],
    );
    const offline = `"${serviceSchema(loop.namespace, "feature-store")}"."offline_${DATASET.replaceAll("-", "_")}"`;
    const { rows } = await db.query<{ n: number; first: Date; last: Date; temp_max: number; rainy: number }>(
      `select count(*)::int as n, min(_event_time) as first, max(_event_time) as last,
              sum(temp_max)::float8 as temp_max, count(*) filter (where weather = 'rain')::int as rainy
         from ${offline}`,
    );
    const stored = rows[0];
    assert.equal(stored?.n, 1461);
    assert.equal(stored?.first.toISOString(), "2012-01-01T00:00:00.000Z");
    assert.equal(stored?.last.toISOString(), "2015-12-31T00:00:00.000Z");
    const expectedTempMax = days.reduce((sum, day) => sum + day.temp_max, 0);
    assert.ok(Math.abs((stored?.temp_max ?? 0) - expectedTempMax) < 1e-6, `sum(temp_max) ${stored?.temp_max}`);
    assert.equal(stored?.rainy, days.filter((day) => day.weather === "rain").length);
  });

  it("reads the same values from Parquet as from CSV: a day's row is the CSV's row", async () => {
    const offline = `"${serviceSchema(loop.namespace, "feature-store")}"."offline_${DATASET.replaceAll("-", "_")}"`;
    const { rows } = await db.query(
      `select precipitation, temp_max, temp_min, wind, weather from ${offline} where _event_time = '2015-06-30T00:00:00Z'`,
    );
    const day = days.find((d) => d.date === "2015-06-30");
    assert.ok(day);
    assert.deepEqual(rows, [
      {
        precipitation: day.precipitation,
        temp_max: day.temp_max,
        temp_min: day.temp_min,
        wind: day.wind,
        weather: day.weather,
      },
    ]);
  });
});
