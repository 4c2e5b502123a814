import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { seattleWeatherDays, seattleWeatherParquet } from "@gyre/testkit";
import { parquetWriteBuffer } from "hyparquet-writer";
import { DATASET, IngestionHarness, rejectedArrival, seattleCsv, seriesValue, sha256Of } from "./harness.ts";

/** Small enough for a gzip bomb to pass it quickly, big enough for the whole seattle-weather file. */
const MAX_BATCH_BYTES = 200_000;
const harness = new IngestionHarness();
const days = seattleWeatherDays();
const base64 = (bytes: Buffer) => bytes.toString("base64");
const ndjsonOf = (rows: readonly object[]) => rows.map((row) => `${JSON.stringify(row)}\n`).join("");

async function batchRow(batchKey: string) {
  const { rows } = await harness.pool.query<{ format: string; compression: string | null; size_bytes: string }>(
    "SELECT format, compression, size_bytes FROM batches WHERE batch_key = $1",
    [batchKey],
  );
  assert.equal(rows.length, 1, `one batch recorded for ${batchKey}`);
  return rows[0] as { format: string; compression: string | null; size_bytes: string };
}

describe("ingestion reads Parquet and gzip batches, and stores them as sent", () => {
  before(() => harness.start({ INGEST_MAX_BATCH_BYTES: String(MAX_BATCH_BYTES) }));
  after(() => harness.cleanup());

  test("Parquet inline (base64), three row groups: every row counted, the file stored byte for byte as .parquet", async () => {
    const parquet = seattleWeatherParquet(days, { rowGroupSize: 500 });
    await harness.arrive({ dataset: DATASET, batchKey: "all-parquet", format: "parquet", rowsBase64: base64(parquet) });
    const { data } = await harness.ingestedFor("all-parquet");
    const sha256 = sha256Of(parquet);
    assert.deepEqual(
      { ...data, batchId: "" },
      {
        batchId: "",
        dataset: DATASET,
        sha256,
        objectKey: `raw/${DATASET}/${sha256}.parquet`,
        rowCount: 1461,
        eventTimeMin: "2012-01-01T00:00:00.000Z",
        eventTimeMax: "2015-12-31T00:00:00.000Z",
        specRevision: harness.specRevision,
        batchKey: "all-parquet",
      },
    );
    assert.ok((await harness.store.getBuffer(data.objectKey)).equals(parquet), "the stored object is the file sent");
    assert.deepEqual(await batchRow("all-parquet"), {
      format: "parquet",
      compression: null,
      size_bytes: String(parquet.length),
    });
  });

  test("Parquet by s3:// reference, read from its temp file", async () => {
    const year2013 = days.filter((day) => day.date.startsWith("2013-"));
    const parquet = seattleWeatherParquet(year2013, { rowGroupSize: 100, codec: "UNCOMPRESSED" });
    await harness.producerStore.put("exports/2013.parquet", parquet);
    await harness.arrive({
      dataset: DATASET,
      batchKey: "2013-parquet",
      format: "parquet",
      ref: `s3://${harness.producerBucket}/exports/2013.parquet`,
    });
    const { data } = await harness.ingestedFor("2013-parquet");
    assert.equal(data.rowCount, 365);
    assert.equal(data.eventTimeMin, "2013-01-01T00:00:00.000Z");
    assert.equal(data.eventTimeMax, "2013-12-31T00:00:00.000Z");
    assert.equal(data.sha256, sha256Of(parquet));
  });

  test("gzip CSV inline: rows read through gunzip, the compressed bytes stored as .csv.gz", async () => {
    const gz = gzipSync(seattleCsv());
    await harness.arrive({
      dataset: DATASET,
      batchKey: "all-csv-gz",
      format: "csv",
      compression: "gzip",
      rowsBase64: base64(gz),
    });
    const { data } = await harness.ingestedFor("all-csv-gz");
    assert.equal(data.rowCount, 1461);
    assert.equal(data.eventTimeMin, "2012-01-01T00:00:00.000Z");
    assert.equal(data.eventTimeMax, "2015-12-31T00:00:00.000Z");
    assert.equal(data.objectKey, `raw/${DATASET}/${sha256Of(gz)}.csv.gz`);
    assert.ok((await harness.store.getBuffer(data.objectKey)).equals(gz), "the stored object is the gzip sent");
    assert.deepEqual(await batchRow("all-csv-gz"), {
      format: "csv",
      compression: "gzip",
      size_bytes: String(gz.length),
    });
  });

  test("gzip NDJSON by reference in two gzip members (as appended logs are), read as one stream", async () => {
    const year2014 = days.filter((day) => day.date.startsWith("2014-"));
    const gz = Buffer.concat([gzipSync(ndjsonOf(year2014.slice(0, 200))), gzipSync(ndjsonOf(year2014.slice(200)))]);
    await harness.producerStore.put("logs/2014.ndjson.gz", gz);
    await harness.arrive({
      dataset: DATASET,
      batchKey: "2014-ndjson-gz",
      format: "ndjson",
      compression: "gzip",
      ref: `s3://${harness.producerBucket}/logs/2014.ndjson.gz`,
    });
    const { data } = await harness.ingestedFor("2014-ndjson-gz");
    assert.equal(data.rowCount, 365);
    assert.equal(data.eventTimeMin, "2014-01-01T00:00:00.000Z");
    assert.equal(data.eventTimeMax, "2014-12-31T00:00:00.000Z");
    assert.equal(data.objectKey, `raw/${DATASET}/${sha256Of(gz)}.ndjson.gz`);
  });

  test("a gzip bomb, inline or by reference, is turned away once its output passes INGEST_MAX_BATCH_BYTES", async () => {
    const bomb = gzipSync(Buffer.alloc(50 * MAX_BATCH_BYTES, "0"));
    assert.ok(bomb.length < MAX_BATCH_BYTES / 20, `the bomb is ${bomb.length} bytes compressed`);
    await harness.producerStore.put("bomb.csv.gz", bomb);
    const inline = await rejectedArrival(harness, {
      dataset: DATASET,
      batchKey: "bomb-inline",
      format: "csv",
      compression: "gzip",
      rowsBase64: base64(bomb),
    });
    const byRef = await rejectedArrival(harness, {
      dataset: DATASET,
      batchKey: "bomb-ref",
      format: "csv",
      compression: "gzip",
      ref: `s3://${harness.producerBucket}/bomb.csv.gz`,
    });
    for (const { row } of [inline, byRef]) {
      assert.equal(row.kind, "too_large");
      assert.equal(
        row.reason,
        `gzip batch decompresses to more than ${MAX_BATCH_BYTES} bytes, over the limit of ${MAX_BATCH_BYTES} bytes (INGEST_MAX_BATCH_BYTES, which applies to the decompressed size); split it into smaller batches`,
      );
    }
  });

  test("bytes that are not gzip, and gzip cut short, are named as such", async () => {
    const notGzip = await rejectedArrival(harness, {
      dataset: DATASET,
      batchKey: "not-gzip",
      format: "csv",
      compression: "gzip",
      rowsBase64: base64(seattleCsv().subarray(0, 500)),
    });
    assert.equal(notGzip.row.kind, "corrupt_gzip");
    assert.equal(notGzip.row.reason, "gzip data is corrupt: incorrect header check (zlib Z_DATA_ERROR)");
    const gz = gzipSync(seattleCsv());
    const cut = await rejectedArrival(harness, {
      dataset: DATASET,
      batchKey: "gzip-cut",
      format: "csv",
      compression: "gzip",
      rowsBase64: base64(gz.subarray(0, gz.length - 40)),
    });
    assert.equal(cut.row.kind, "corrupt_gzip");
    assert.equal(cut.row.reason, "gzip data ends early (truncated?): unexpected end of file (zlib Z_BUF_ERROR)");
  });

  test("gzip of text that is not UTF-8 names the offset in the decompressed bytes", async () => {
    const good = Buffer.from("date,precipitation,temp_max,temp_min,wind,weather\n2016-01-01,0,5,1,2,s");
    const latin1 = Buffer.concat([good, Buffer.from([0xfc]), Buffer.from("n\n")]);
    const { row } = await rejectedArrival(harness, {
      dataset: DATASET,
      batchKey: "gzip-latin1",
      format: "csv",
      compression: "gzip",
      rowsBase64: base64(gzipSync(latin1)),
    });
    assert.equal(row.kind, "not_utf8");
    assert.match(row.reason, new RegExp(`byte offset ${good.length}\\b`));
  });

  test("a truncated Parquet file (no footer) is named as unreadable", async () => {
    const parquet = seattleWeatherParquet(days.slice(0, 100));
    const { row } = await rejectedArrival(harness, {
      dataset: DATASET,
      batchKey: "parquet-cut",
      format: "parquet",
      rowsBase64: base64(parquet.subarray(0, parquet.length - 300)),
    });
    assert.equal(row.kind, "unreadable_parquet");
    assert.equal(row.reason, "Parquet batch is unreadable: parquet file invalid (footer != PAR1)");
  });

  test("a Parquet file whose pages are overwritten is turned away by ingestion, not passed on", async () => {
    const parquet = seattleWeatherParquet(days.slice(0, 100), { codec: "UNCOMPRESSED" });
    const damaged = Buffer.concat([parquet.subarray(0, 4), Buffer.alloc(200, 0xff), parquet.subarray(204)]);
    const { row } = await rejectedArrival(harness, {
      dataset: DATASET,
      batchKey: "parquet-damaged",
      format: "parquet",
      rowsBase64: base64(damaged),
    });
    assert.equal(row.kind, "unreadable_parquet");
    assert.match(row.reason, /^Parquet batch is unreadable: /);
  });

  test("a Parquet column of JSON objects is named with its row: Gyre reads scalar columns", async () => {
    const parquet = Buffer.from(
      parquetWriteBuffer({
        columnData: [
          { name: "date", data: [new Date("2016-01-01T00:00:00Z")], type: "TIMESTAMP" },
          { name: "extra", data: [{ gusts: [3, 4] }], type: "JSON" },
        ],
      }),
    );
    const { row } = await rejectedArrival(harness, {
      dataset: DATASET,
      batchKey: "parquet-json-column",
      format: "parquet",
      rowsBase64: base64(parquet),
    });
    assert.equal(row.kind, "unreadable_parquet");
    assert.equal(
      row.reason,
      'Parquet column "extra" holds a object in row 1; Gyre reads numbers, strings, booleans, dates and timestamps',
    );
  });

  test("a Parquet file with no rows is empty", async () => {
    const { row } = await rejectedArrival(harness, {
      dataset: DATASET,
      batchKey: "parquet-empty",
      format: "parquet",
      rowsBase64: base64(seattleWeatherParquet([])),
    });
    assert.equal(row.kind, "empty");
    assert.equal(row.reason, "parquet batch has no rows");
  });

  test("keeps running after the bad files, and counts batches by format and rejections by kind", async () => {
    const parquet = seattleWeatherParquet(days.filter((day) => day.date.startsWith("2015-12")));
    await harness.arrive({ dataset: DATASET, batchKey: "after-bad", format: "parquet", rowsBase64: base64(parquet) });
    assert.equal((await harness.ingestedFor("after-bad")).data.rowCount, 31);
    assert.equal(harness.service.process.exitCode, null);
    const metrics = await harness.metrics();
    const batches = (format: string) => seriesValue(metrics, "gyre_ingestion_batches_total", `format="${format}"`);
    assert.equal(batches("parquet"), 3);
    assert.equal(batches("csv.gz"), 1);
    assert.equal(batches("ndjson.gz"), 1);
    const rejected = (kind: string) => seriesValue(metrics, "gyre_ingestion_rejected_total", `reason="${kind}"`);
    assert.equal(rejected("too_large"), 2);
    assert.equal(rejected("corrupt_gzip"), 2);
    assert.equal(rejected("unreadable_parquet"), 3);
    assert.equal(rejected("empty"), 1);
    assert.equal(rejected("not_utf8"), 1);
  });
});
