import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DATASET, IngestionHarness, rejectedArrival, seriesValue } from "./harness.ts";

const MAX_BATCH_BYTES = 100_000;
const harness = new IngestionHarness();
const HEADER = "date,precipitation,temp_max,temp_min,wind,weather";

describe("ingestion rejects bad input to the DLQ and records it", () => {
  before(() => harness.start({ INGEST_MAX_BATCH_BYTES: String(MAX_BATCH_BYTES) }));
  after(() => harness.cleanup());

  test("malformed CSV: an unclosed quote, named with its line", async () => {
    const rows = `${HEADER}\n2016-01-01,0,5,1,2,sun\n2016-01-02,0,5,1,2,"sun\n2016-01-03,0,5,1,2,sun\n`;
    const { row } = await rejectedArrival(harness, { dataset: DATASET, batchKey: "unclosed", format: "csv", rows });
    assert.equal(row.kind, "malformed_csv");
    assert.match(row.reason, /Quote Not Closed.*line 4 \(the quote opens in record 3,/);
  });

  test("a byte that is not UTF-8, named with its offset", async () => {
    const good = Buffer.from(`${HEADER}\n2016-01-01,0,5,1,2,sun\n2016-01-02,0,5,1,2,s`);
    await harness.producerStore.put("latin1.csv", Buffer.concat([good, Buffer.from([0xfc]), Buffer.from("n\n")]));
    const ref = `s3://${harness.producerBucket}/latin1.csv`;
    const { row } = await rejectedArrival(harness, { dataset: DATASET, batchKey: "latin1", format: "csv", ref });
    assert.equal(row.kind, "not_utf8");
    assert.match(row.reason, new RegExp(`byte offset ${good.length}\\b`));
  });

  test("an unknown dataset, named", async () => {
    const rows = `${HEADER}\n2016-01-01,0,5,1,2,sun\n`;
    const { row } = await rejectedArrival(harness, { dataset: "no-such-dataset", batchKey: "k1", format: "csv", rows });
    assert.equal(row.kind, "unknown_dataset");
    assert.match(row.reason, /dataset "no-such-dataset" has no spec/);
  });

  test("a missing s3:// object, named by its URL", async () => {
    const ref = `s3://${harness.producerBucket}/exports/never-written.csv`;
    const { row } = await rejectedArrival(harness, { dataset: DATASET, batchKey: "missing", format: "csv", ref });
    assert.equal(row.kind, "missing_object");
    assert.ok(row.reason.includes(ref), row.reason);
  });

  test("a duplicated header, naming the column", async () => {
    const rows = "date,wind,temp_max,wind\n2016-01-01,2,5,3\n";
    const { row } = await rejectedArrival(harness, { dataset: DATASET, batchKey: "twice", format: "csv", rows });
    assert.equal(row.kind, "duplicate_header");
    assert.match(row.reason, /"wind" twice/);
  });

  test("an oversized batch, by reference or inline, naming the limit", async () => {
    const big = `${HEADER}\n${"2016-01-01,0.0,5.0,1.0,2.0,sun\n".repeat(4000)}`;
    assert.ok(Buffer.byteLength(big) > MAX_BATCH_BYTES);
    await harness.producerStore.put("big.csv", big);
    const byRef = await rejectedArrival(harness, {
      dataset: DATASET,
      batchKey: "big-ref",
      format: "csv",
      ref: `s3://${harness.producerBucket}/big.csv`,
    });
    const inline = await rejectedArrival(harness, {
      dataset: DATASET,
      batchKey: "big-inline",
      format: "csv",
      rows: big,
    });
    for (const { row } of [byRef, inline]) {
      assert.equal(row.kind, "too_large");
      assert.match(row.reason, new RegExp(`${Buffer.byteLength(big)} bytes is over the limit of ${MAX_BATCH_BYTES}`));
    }
  });

  test("an empty batch: a header without rows", async () => {
    const { row } = await rejectedArrival(harness, {
      dataset: DATASET,
      batchKey: "header-only",
      format: "csv",
      rows: `${HEADER}\n`,
    });
    assert.equal(row.kind, "empty");
  });

  test("keeps running: a good batch afterwards is ingested, and nothing rejected was stored", async () => {
    await harness.arrive({
      dataset: DATASET,
      batchKey: "good-after",
      format: "csv",
      rows: `${HEADER}\n2016-01-01,0,5,1,2,sun\n`,
    });
    const { data } = await harness.ingestedFor("good-after");
    assert.equal(data.rowCount, 1);
    const { rows } = await harness.pool.query<{ batch_key: string }>("SELECT batch_key FROM batches");
    assert.deepEqual(
      rows.map((row) => row.batch_key),
      ["good-after"],
    );
    const raw: string[] = [];
    for await (const object of harness.store.list("raw/")) raw.push(object.key);
    assert.deepEqual(raw, [data.objectKey]);
    assert.equal(harness.ingested.length, 1);
  });

  test("counts rejections by reason kind", async () => {
    const metrics = await harness.metrics();
    const count = (kind: string) => seriesValue(metrics, "gyre_ingestion_rejected_total", `reason="${kind}"`);
    assert.equal(count("too_large"), 2);
    for (const kind of [
      "malformed_csv",
      "not_utf8",
      "unknown_dataset",
      "missing_object",
      "duplicate_header",
      "empty",
    ]) {
      assert.equal(count(kind), 1, kind);
    }
  });
});
