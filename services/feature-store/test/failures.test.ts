import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { readDlq } from "@gyre/bus";
import { eventually, FeatureStoreHarness } from "./harness.ts";
import { rowsIn, weatherRows, weatherSpec } from "./weather.ts";

// Batches the feature store cannot write: all or nothing, then the DLQ with a reason. Two deliveries and a short
// backoff keep the retries quick.

const DATASET = "weather";
const all = weatherRows();
const january = rowsIn(all, "2012-01");
const february = rowsIn(all, "2012-02");

describe("feature store failures", () => {
  const harness = new FeatureStoreHarness();

  before(async () => {
    await harness.start(weatherSpec(DATASET), {
      FEATURE_STORE_MAX_DELIVER: "2",
      FEATURE_STORE_RETRY_BACKOFF: "100ms",
    });
    await harness.publishValidated(DATASET, "b-january", january);
    await harness.written("b-january");
  });
  after(() => harness.cleanup());

  const deadLetter = (batchId: string) =>
    eventually(`the dead letter of ${batchId}`, async () => {
      const letters = await readDlq(harness.bus, "feature-store");
      return letters.find((letter) => new TextDecoder().decode(letter.payload).includes(`"batchId":"${batchId}"`));
    });

  test("a batch with a value its column cannot hold writes no row, and goes to the DLQ after its retries with the reason", async () => {
    // The bad value is in the last row, so the COPY has streamed every row before it when it fails.
    const bad = february.map((row, index) => (index === february.length - 1 ? { ...row, temp_max: "warm" } : row));
    await harness.publishValidated(DATASET, "b-february-bad", bad);
    const letter = await deadLetter("b-february-bad");
    assert.equal(letter.kind, "exhausted");
    assert.equal(letter.deliveryCount, 2);
    assert.match(letter.reason, /batch "b-february-bad".*offline_weather.*double precision.*"warm"/);

    assert.equal(await harness.count("SELECT count(*) FROM offline_weather"), january.length);
    assert.equal(await harness.count(`SELECT count(*) FROM offline_weather WHERE "_batch_id" = 'b-february-bad'`), 0);
    assert.equal(await harness.count("SELECT count(*) FROM batches WHERE batch_id = 'b-february-bad'"), 0);
    assert.equal(
      await harness.count(`SELECT count(*) FROM online_weather WHERE "_event_time" = '2012-01-31T00:00:00Z'`),
      2,
      "the online rows are still January's",
    );
    assert.equal(harness.updates.filter((event) => event.data.batchId === "b-february-bad").length, 0);
  });

  test("the same rows, fixed, are written whole once they come again as a new batch", async () => {
    await harness.publishValidated(DATASET, "b-february", february);
    await harness.written("b-february");
    assert.equal(await harness.count("SELECT count(*) FROM offline_weather"), january.length + february.length);
  });

  test("a batch of a spec revision the store cannot find goes to the DLQ at once", async () => {
    await harness.publishValidated(DATASET, "b-unknown-revision", february.slice(0, 3), { specRevision: 999 });
    const letter = await deadLetter("b-unknown-revision");
    assert.equal(letter.kind, "permanent");
    assert.equal(letter.deliveryCount, 1);
    assert.match(letter.reason, /dataset "weather" spec revision 999/);
  });

  test("a batch whose rows object is missing goes to the DLQ at once, naming the object", async () => {
    await harness.publishValidated(DATASET, "b-lost", february.slice(0, 3), {
      rowsKey: "rows/weather/elsewhere.ndjson",
      putRows: false,
    });
    const letter = await deadLetter("b-lost");
    assert.equal(letter.kind, "permanent");
    assert.match(letter.reason, /rows\/weather\/elsewhere\.ndjson: no such object/);
  });

  test("an event without rowsKey is read from validation's key, validated/<dataset>/<batchId>.ndjson", async () => {
    const march = rowsIn(all, "2012-03");
    await harness.publishValidated(DATASET, "b-march", march, { rowsKey: null });
    await harness.written("b-march");
    assert.equal(
      await harness.count(`SELECT count(*) FROM offline_weather WHERE "_batch_id" = 'b-march'`),
      march.length,
    );
  });
});
