import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FeaturesUpdated, OnlineRow } from "@gyre/contracts";
import { GrpcStatus } from "@gyre/grpc";
import { type ExportedRow, eventually, FeatureStoreHarness, type TrainingSet } from "./harness.ts";
import { rowsIn, type WeatherRow, weatherRows, weatherSpec } from "./weather.ts";

// The feature store as its own process on real NATS, PostgreSQL and S3, fed weather.csv a month or two at a time
// (examples/weather.spec.yaml: month = datePart, temp_max_lag1 = lag 1, precipitation_mean_7 = rolling mean 7,
// per location).

const DATASET = "city-weather";
const all = weatherRows();
const march = rowsIn(all, "2012-03");
const janFeb = rowsIn(all, "2012-01", "2012-02");
const april = rowsIn(all, "2012-04");

/** What lag 1 and the rolling mean of 7 must be: from rows of the same location with a strictly earlier date. */
function pointInTime(written: readonly WeatherRow[], row: Record<string, unknown>) {
  const earlier = written
    .filter((other) => other.location === row.location && other.date < String(row.date))
    .sort((a, b) => a.date.localeCompare(b.date));
  const last7 = earlier.slice(-7).map((other) => other.precipitation);
  return {
    temp_max_lag1: earlier.at(-1)?.temp_max ?? null,
    precipitation_mean_7: last7.length === 0 ? null : last7.reduce((sum, value) => sum + value, 0) / last7.length,
  };
}

function assertClose(actual: unknown, expected: number | null, what: string): void {
  if (expected === null) {
    assert.equal(actual, null, what);
    return;
  }
  assert.equal(typeof actual, "number", what);
  assert.ok(Math.abs((actual as number) - expected) < 1e-9, `${what}: ${String(actual)} != ${expected}`);
}

function grpcCode(err: unknown): number | undefined {
  return (err as { code?: number }).code;
}

describe("feature store", () => {
  const harness = new FeatureStoreHarness();
  let firstExport: TrainingSet;

  before(async () => {
    await harness.start(weatherSpec(DATASET));
    // Out of order: March is written before January and February.
    await harness.publishValidated(DATASET, "b-2012-03", march);
    await harness.written("b-2012-03");
    await harness.publishValidated(DATASET, "b-2012-01-02", janFeb);
    await harness.written("b-2012-01-02");
  });
  after(() => harness.cleanup());

  test("lag and rolling mean never see the future when a later month arrived first", async () => {
    firstExport = await harness.exportSet({ dataset: DATASET, holdout_share: 0.2 });
    const { header, rows } = firstExport;
    const written = [...march, ...janFeb];
    assert.equal(rows.length, written.length);
    assert.deepEqual(
      header.columns.map((column) => column.name),
      ["event_time", "entity_key", "location", "date", "precipitation", "temp_max", "temp_min", "wind", "month"].concat(
        ["temp_max_lag1", "precipitation_mean_7", "weather"],
      ),
    );
    for (const row of rows) {
      const want = pointInTime(written, row);
      const what = `${row.location} ${row.date}`;
      assertClose(row.temp_max_lag1, want.temp_max_lag1, `${what} temp_max_lag1`);
      assertClose(row.precipitation_mean_7, want.precipitation_mean_7, `${what} precipitation_mean_7`);
      assert.equal(row.month, new Date(String(row.date)).getUTCMonth() + 1, `${what} month`);
      assert.equal(row.entity_key, row.location);
    }
    // The first of March, written first, has February (written later) as its past.
    const seattleMarch1 = rows.find((row) => row.location === "Seattle" && row.date === "2012-03-01T00:00:00.000Z");
    assert.equal(
      seattleMarch1?.temp_max_lag1,
      janFeb.find((row) => row.date.startsWith("2012-02-29") && row.location === "Seattle")?.temp_max,
    );
    assert.equal(rows.filter((row) => row.temp_max_lag1 === null).length, 2, "only each city's first day has no lag");
  });

  test("features.updated reports rows, labelled rows and the store's watermark under id features-<batchId>", async () => {
    const updates = await eventually("two features.updated", () =>
      harness.updates.length >= 2 ? harness.updates : undefined,
    );
    const byBatch = Object.fromEntries(updates.map((event) => [event.data.batchId, event]));
    assert.equal(byBatch["b-2012-03"]?.id, "features-b-2012-03");
    const { online, ...summary } = (byBatch["b-2012-03"]?.data ?? {}) as FeaturesUpdated;
    assert.deepEqual(summary, {
      batchId: "b-2012-03",
      dataset: DATASET,
      rowsWritten: march.length,
      watermark: "2012-03-31T00:00:00.000Z",
      specRevision: harness.specRevision,
      labelledRows: march.length,
    });
    // Serving's online history: per city, the rows of the batch's last 8 days (lag 1 + rolling mean of 7), oldest first.
    const cities = [...new Set(march.map((row) => row.location))];
    assert.equal(online?.length, cities.length * 8);
    for (const city of cities) {
      const rows: OnlineRow[] = (online ?? []).filter((row) => row.entity === city);
      assert.deepEqual(
        rows.map((row) => row.eventTime.slice(0, 10)),
        Array.from({ length: 8 }, (_, day) => `2012-03-${24 + day}`),
      );
      assert.equal(
        rows[0]?.values.temp_max,
        march.find((row) => row.location === city && row.date.startsWith("2012-03-24"))?.temp_max,
      );
    }
    // An older batch leaves the watermark where it was.
    assert.equal(byBatch["b-2012-01-02"]?.data.watermark, "2012-03-31T00:00:00.000Z");
    assert.equal(byBatch["b-2012-01-02"]?.data.rowsWritten, janFeb.length);
  });

  test("the same batch delivered twice is written once and announced under the same id", async () => {
    await harness.publishValidated(DATASET, "b-2012-01-02", janFeb, { eventId: "validated-b-2012-01-02-again" });
    await harness.written("b-2012-01-02", "features.duplicate");
    const table = "offline_city_weather";
    assert.equal(await harness.count(`SELECT count(*) FROM ${table}`), march.length + janFeb.length);
    assert.equal(
      await harness.count(`SELECT count(*) FROM ${table} WHERE "_batch_id" = 'b-2012-01-02'`),
      janFeb.length,
    );
    assert.equal(await harness.count("SELECT count(*) FROM batches"), 2);
    assert.equal(harness.updates.filter((event) => event.data.batchId === "b-2012-01-02").length, 1);
  });

  test("a snapshot export returns the same rows in the same order, also after another batch arrived", async () => {
    const first = await harness.exportSet({ dataset: DATASET, last_rows: 150, holdout_share: 0.2, chunk_rows: 40 });
    assert.equal(first.header.created, true);
    assert.equal(first.rows.length, 150);
    await harness.publishValidated(DATASET, "b-2012-04", april);
    await harness.written("b-2012-04");

    const replay = await harness.exportSet({ dataset: DATASET, snapshot_id: first.header.snapshot_id });
    assert.equal(replay.header.created, false);
    assert.deepEqual(replay.rows, first.rows);
    assert.deepEqual({ ...replay.header, created: true }, first.header);
    assert.deepEqual(
      first.header.batches.map((batch) => batch.batch_id),
      ["b-2012-03", "b-2012-01-02"],
    );
    assert.ok(first.header.batches.every((batch) => /^[a-f0-9]{64}$/.test(batch.sha256)));

    const fresh = await harness.exportSet({ dataset: DATASET, last_rows: 150, holdout_share: 0.2 });
    assert.notEqual(fresh.header.snapshot_id, first.header.snapshot_id);
    assert.equal(fresh.header.batches.length, 3);
    assert.equal(fresh.rows.at(-1)?.date, "2012-04-30T00:00:00.000Z");
    assert.equal(first.rows.at(-1)?.date, "2012-03-31T00:00:00.000Z");
  });

  test("holdout rows are the latest by event time", () => {
    const { header, rows } = firstExport;
    const holdout = rows.filter((row) => row.holdout);
    const train = rows.filter((row) => !row.holdout);
    assert.equal(holdout.length, Math.round(rows.length * 0.2));
    assert.equal(Number(header.holdout_rows), holdout.length);
    assert.equal(Number(header.train_rows), train.length);
    const time = (row: ExportedRow) => String(row.event_time);
    const latestTrain = train.map(time).sort().at(-1) ?? "";
    assert.ok(
      holdout.every((row) => time(row) >= latestTrain),
      "a holdout row is older than a train row",
    );
    assert.deepEqual(rows.slice(train.length), holdout, "train rows come first, then holdout");
    const times = rows.map(time);
    assert.deepEqual(times, [...times].sort(), "rows are in event-time order");
  });

  test("GetOnlineFeatures returns what a request for each entity at a time gets: lags from the rows before it", async () => {
    const written = [...march, ...janFeb, ...april];
    const response = await harness.online(DATASET, ["Seattle", "New York", "Paris"], "2012-04-30");
    assert.equal(response.at, "2012-04-30T00:00:00.000Z");
    assert.deepEqual(
      response.entities.map((entity) => [entity.entity_key, entity.found, entity.event_time]),
      [
        ["Seattle", true, "2012-04-29T00:00:00.000Z"],
        ["New York", true, "2012-04-29T00:00:00.000Z"],
        ["Paris", false, ""],
      ],
    );
    for (const entity of response.entities.filter((candidate) => candidate.found)) {
      const day = (date: string) =>
        april.find((row) => row.location === entity.entity_key && row.date.startsWith(date));
      const [latest, previous] = [day("2012-04-30"), day("2012-04-29")];
      assert.ok(latest && previous);
      const value = (name: string) => {
        const cell = entity.values[name];
        return cell?.kind === "null_value" ? null : cell?.[cell.kind ?? "null_value"];
      };
      // the latest stored row's features, with the date parts of `at` and the windows as of `at`
      assert.equal(value("temp_max"), previous.temp_max);
      assert.equal(value("weather"), previous.weather);
      assert.equal(value("month"), 4);
      const want = pointInTime(written, latest);
      assertClose(value("temp_max_lag1"), want.temp_max_lag1, `${entity.entity_key} temp_max_lag1`);
      assertClose(value("precipitation_mean_7"), want.precipitation_mean_7, `${entity.entity_key} mean 7`);
    }
    await assert.rejects(harness.online(DATASET, ["Seattle"], "yesterday"), (err) => {
      assert.equal(grpcCode(err), GrpcStatus.INVALID_ARGUMENT);
      return /at "yesterday"/.test(String(err));
    });
  });

  test("unknown datasets and snapshots are NOT_FOUND by name; bad arguments are INVALID_ARGUMENT", async () => {
    await assert.rejects(harness.online("no-such-data", ["x"]), (err) => {
      assert.equal(grpcCode(err), GrpcStatus.NOT_FOUND);
      return /no-such-data/.test(String(err));
    });
    await assert.rejects(harness.exportSet({ dataset: DATASET, snapshot_id: "snap-missing" }), (err) => {
      assert.equal(grpcCode(err), GrpcStatus.NOT_FOUND);
      return /snap-missing/.test(String(err));
    });
    await assert.rejects(harness.exportSet({ dataset: DATASET, holdout_share: 1.5 }), (err) => {
      assert.equal(grpcCode(err), GrpcStatus.INVALID_ARGUMENT);
      return /holdout_share 1.5/.test(String(err));
    });
    await assert.rejects(harness.online(DATASET, []), (err) => grpcCode(err) === GrpcStatus.INVALID_ARGUMENT);
  });

  test("metrics count the rows and batches written and time the writes and exports", async () => {
    const text = await harness.metrics();
    const rowsWritten = march.length + janFeb.length + april.length;
    assert.match(
      text,
      new RegExp(`gyre_feature_store_rows_written_total\\{[^}]*dataset="${DATASET}"[^}]*\\} ${rowsWritten}`),
    );
    assert.match(text, /gyre_feature_store_batches_total\{[^}]*outcome="duplicate"[^}]*\} 1/);
    assert.match(text, /gyre_feature_store_write_duration_seconds_count\{[^}]*\} 3/);
    assert.match(text, /gyre_feature_store_export_duration_seconds_count\{[^}]*outcome="ok"[^}]*\} [1-9]/);
  });
});
