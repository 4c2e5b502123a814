import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DATASET, IngestionHarness, seattleCsv, seattleRows, seriesValue, sha256Of } from "./harness.ts";

const harness = new IngestionHarness();

interface BatchRow {
  batch_id: string;
  batch_key: string;
  sha256: string;
  object_key: string;
  format: string;
  row_count: string;
  event_time_min: Date | null;
  event_time_max: Date | null;
  spec_revision: string;
  source_event_id: string;
}

async function batchRows(where: string, values: unknown[]): Promise<BatchRow[]> {
  return (await harness.pool.query<BatchRow>(`SELECT * FROM batches WHERE ${where}`, values)).rows;
}

/** Waits until the service logged `batch.duplicate` for a batch key, then gives a republish time to arrive. */
async function settledDuplicate(batchKey: string) {
  const line = await harness.service.waitForLog((log) => log.event === "batch.duplicate" && log.batchKey === batchKey);
  await new Promise((resolve) => setTimeout(resolve, 500));
  return line;
}

describe("ingestion", () => {
  before(() => harness.start());
  after(() => harness.cleanup());

  test("stores seattle-weather.csv under its sha256, records it, and announces rows and event-time range", async () => {
    const csv = seattleCsv();
    const sha256 = sha256Of(csv);
    const eventId = await harness.arrive({
      dataset: DATASET,
      batchKey: "seattle-all",
      format: "csv",
      rows: csv.toString("utf8"),
    });
    const ingested = await harness.ingestedFor("seattle-all");
    const objectKey = `raw/${DATASET}/${sha256}.csv`;
    assert.deepEqual(ingested.data, {
      batchId: ingested.data.batchId,
      dataset: DATASET,
      sha256,
      objectKey,
      rowCount: 1461,
      eventTimeMin: "2012-01-01T00:00:00.000Z",
      eventTimeMax: "2015-12-31T00:00:00.000Z",
      specRevision: harness.specRevision,
      batchKey: "seattle-all",
    });
    assert.equal(ingested.id, `ingested-${ingested.data.batchId}`);
    assert.equal(sha256Of(await harness.store.getBuffer(objectKey)), sha256);

    const [row, ...more] = await batchRows("batch_key = $1", ["seattle-all"]);
    assert.equal(more.length, 0);
    assert.equal(row?.batch_id, ingested.data.batchId);
    assert.equal(row?.sha256, sha256);
    assert.equal(row?.object_key, objectKey);
    assert.equal(row?.format, "csv");
    assert.equal(Number(row?.row_count), 1461);
    assert.equal(row?.event_time_min?.toISOString(), "2012-01-01T00:00:00.000Z");
    assert.equal(row?.event_time_max?.toISOString(), "2015-12-31T00:00:00.000Z");
    assert.equal(Number(row?.spec_revision), harness.specRevision);
    assert.equal(row?.source_event_id, eventId);
  });

  test("ingests an NDJSON batch and stores it with the .ndjson extension", async () => {
    const text = `${seattleRows()
      .slice(0, 31)
      .map((row) => JSON.stringify(row))
      .join("\n")}\n`;
    await harness.arrive({ dataset: DATASET, batchKey: "jan-2012-ndjson", format: "ndjson", rows: text });
    const { data } = await harness.ingestedFor("jan-2012-ndjson");
    assert.equal(data.rowCount, 31);
    assert.equal(data.eventTimeMin, "2012-01-01T00:00:00.000Z");
    assert.equal(data.eventTimeMax, "2012-01-31T00:00:00.000Z");
    assert.equal(data.objectKey, `raw/${DATASET}/${sha256Of(text)}.ndjson`);
    assert.equal((await harness.store.getBuffer(data.objectKey)).toString("utf8"), text);
  });

  test("ingests a JSON array of row objects, stored as that array's JSON text", async () => {
    const rows = seattleRows().slice(31, 60);
    await harness.arrive({ dataset: DATASET, batchKey: "feb-2012-json", format: "json", rows });
    const { data } = await harness.ingestedFor("feb-2012-json");
    assert.equal(data.rowCount, 29);
    assert.equal(data.eventTimeMin, "2012-02-01T00:00:00.000Z");
    assert.equal(data.eventTimeMax, "2012-02-29T00:00:00.000Z");
    const stored = await harness.store.getBuffer(data.objectKey);
    assert.equal(data.objectKey, `raw/${DATASET}/${sha256Of(stored)}.json`);
    assert.deepEqual(JSON.parse(stored.toString("utf8")), rows);
  });

  test("ingests a batch by s3:// reference from another bucket", async () => {
    const [header, ...lines] = seattleCsv().toString("utf8").trimEnd().split("\n");
    const csv = `${[header, ...lines.slice(366, 731)].join("\n")}\n`;
    await harness.producerStore.put("exports/2013.csv", csv);
    await harness.arrive({
      dataset: DATASET,
      batchKey: "year-2013",
      format: "csv",
      ref: `s3://${harness.producerBucket}/exports/2013.csv`,
    });
    const { data } = await harness.ingestedFor("year-2013");
    assert.equal(data.rowCount, 365);
    assert.equal(data.eventTimeMin, "2013-01-01T00:00:00.000Z");
    assert.equal(data.eventTimeMax, "2013-12-31T00:00:00.000Z");
    assert.equal(data.sha256, sha256Of(csv));
    assert.equal(sha256Of(await harness.store.getBuffer(data.objectKey)), sha256Of(csv));
  });

  test("the same batch key twice is one batch and one data.ingested", async () => {
    const csv = `date,precipitation,temp_max,temp_min,wind,weather\n2016-01-01,0,5,1,2,sun\n`;
    await harness.arrive({ dataset: DATASET, batchKey: "same-key", format: "csv", rows: csv });
    const first = await harness.ingestedFor("same-key");
    // the producer resends under the same key (here with other bytes): the key decides
    await harness.arrive({
      dataset: DATASET,
      batchKey: "same-key",
      format: "csv",
      rows: `${csv}2016-01-02,0,5,1,2,sun\n`,
    });
    const duplicate = await settledDuplicate("same-key");
    assert.equal(duplicate.batchId, first.data.batchId);
    assert.equal(duplicate.matched, "batch_key");
    assert.equal(duplicate.republished, false);
    assert.equal((await batchRows("batch_key = $1", ["same-key"])).length, 1);
    assert.equal(harness.ingested.filter((event) => event.data.batchKey === "same-key").length, 1);
  });

  test("the same bytes under another key are one batch and one data.ingested", async () => {
    const csv = `date,precipitation,temp_max,temp_min,wind,weather\n2016-02-01,1,6,2,3,rain\n`;
    await harness.arrive({ dataset: DATASET, batchKey: "bytes-first", format: "csv", rows: csv });
    const first = await harness.ingestedFor("bytes-first");
    await harness.arrive({ dataset: DATASET, batchKey: "bytes-again", format: "csv", rows: csv });
    const duplicate = await settledDuplicate("bytes-again");
    assert.equal(duplicate.batchId, first.data.batchId);
    assert.equal(duplicate.matched, "sha256");
    assert.equal((await batchRows("sha256 = $1", [sha256Of(csv)])).length, 1);
    assert.equal((await batchRows("batch_key = $1", ["bytes-again"])).length, 0);
    const announced = harness.ingested.filter((event) => event.data.batchId === first.data.batchId);
    assert.equal(announced.length, 1);
    const metrics = await harness.metrics();
    assert.equal(seriesValue(metrics, "gyre_ingestion_duplicates_total", 'matched="sha256"'), 1);
    assert.equal(seriesValue(metrics, "gyre_ingestion_duplicates_total", 'matched="batch_key"'), 1);
  });

  test("arrivals racing with the same bytes and the same key make one batch and one data.ingested", async () => {
    const csv = `date,precipitation,temp_max,temp_min,wind,weather\n2016-04-01,0,15,6,3,sun\n2016-04-02,0,16,7,2,sun\n`;
    const keys = ["race-a", "race-b", "race-a", "race-c"];
    await Promise.all(keys.map((batchKey) => harness.arrive({ dataset: DATASET, batchKey, format: "csv", rows: csv })));
    const logged = () =>
      harness.service.logs.filter(
        (log) =>
          (log.event === "batch.ingested" || log.event === "batch.duplicate") &&
          String(log.batchKey).startsWith("race-"),
      );
    const deadline = Date.now() + 20_000;
    while (logged().length < keys.length && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(logged().filter((log) => log.event === "batch.ingested").length, 1);
    assert.equal(logged().filter((log) => log.event === "batch.duplicate").length, keys.length - 1);
    assert.equal((await batchRows("sha256 = $1", [sha256Of(csv)])).length, 1);
    assert.equal(harness.ingested.filter((event) => event.data.batchKey.startsWith("race-")).length, 1);
  });

  test("a redelivered event whose batch was recorded but never announced announces it under the batch's event id", async () => {
    // What a crash between the insert and the publish leaves behind: the row, and no data.ingested.
    const eventId = "arrived-crashed-before-publish";
    const batchId = "0b9f3c1e-5d2a-4c6e-9f7a-1b2c3d4e5f60";
    const csv = `date,precipitation,temp_max,temp_min,wind,weather\n2016-03-01,2,7,3,4,fog\n`;
    const sha256 = sha256Of(csv);
    const objectKey = `raw/${DATASET}/${sha256}.csv`;
    await harness.store.put(objectKey, csv);
    await harness.pool.query(
      `INSERT INTO batches (batch_id, dataset, batch_key, sha256, object_key, format, size_bytes, row_count,
                            event_time_min, event_time_max, spec_revision, source_event_id)
       VALUES ($1, $2, 'crashed', $3, $4, 'csv', $5, 1, '2016-03-01Z', '2016-03-01Z', $6, $7)`,
      [batchId, DATASET, sha256, objectKey, csv.length, harness.specRevision, eventId],
    );
    await harness.arrive({ dataset: DATASET, batchKey: "crashed", format: "csv", rows: csv }, eventId);
    const ingested = await harness.ingestedFor("crashed");
    assert.equal(ingested.id, `ingested-${batchId}`);
    assert.equal(ingested.data.batchId, batchId);
    assert.equal(ingested.data.eventTimeMin, "2016-03-01T00:00:00.000Z");
    const duplicate = await settledDuplicate("crashed");
    assert.equal(duplicate.republished, true);
  });

  test("counts ingested batches, rows and bytes", async () => {
    const metrics = await harness.metrics();
    const batches = await harness.pool.query<{ n: number; rows: number; bytes: number }>(
      "SELECT count(*)::int AS n, sum(row_count)::int AS rows, sum(size_bytes)::int AS bytes FROM batches WHERE source_event_id <> 'arrived-crashed-before-publish'",
    );
    const totals = batches.rows[0];
    const sum = (name: string) =>
      metrics
        .split("\n")
        .filter((line) => line.startsWith(`${name}{`))
        .reduce((total, line) => total + Number(line.slice(line.lastIndexOf(" ") + 1)), 0);
    assert.equal(sum("gyre_ingestion_batches_total"), totals?.n);
    assert.equal(sum("gyre_ingestion_rows_total"), totals?.rows);
    assert.equal(sum("gyre_ingestion_bytes_total"), totals?.bytes);
    assert.equal(seriesValue(metrics, "gyre_ingestion_batches_total", 'format="ndjson"'), 1);
  });
});
