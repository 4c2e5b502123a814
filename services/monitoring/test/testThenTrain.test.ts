import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { GetPrequentialMetricsResponse__Output } from "@gyre/grpc";
import { withTransforms } from "../src/batchInputs.ts";
import { MonitoringHarness, metricValue } from "./harness.ts";
import { allButEveryNth, everyNth, weatherRows, weatherSpec } from "./weather.ts";

const spec = weatherSpec({ minWindowRows: 10_000 });
const seattle = weatherRows("Seattle");
const trainingRows = allButEveryNth(withTransforms(spec, seattle), 4);
const monitored = everyNth(seattle, 4);
const batchA = everyNth(monitored, 2, 0);
const batchB = everyNth(monitored, 2, 1);

// Monitoring falls behind the trainer: it is stopped while a batch arrives and a model trained on that batch becomes
// champion. Started again, it holds the new champion, which must not score the batch it trained on.
describe("monitoring: test, then train", () => {
  const harness = new MonitoringHarness(spec);

  before(async () => {
    const [champion] = await Promise.all([harness.train("run-one", trainingRows), harness.start()]);
    await harness.publishTrained("run-one", champion);
    await harness.event("model.promoted", (event) => event.data.version === 1);
    await harness.monitoring.waitForLog((line) => line.event === "champion.loaded" && line.version === 1);
  });
  after(() => harness.cleanup());

  it("scores a batch with a champion that did not train on it", async () => {
    await harness.publishValidated("batch-a", batchA);
    const measured = await harness.event("performance.measured", (event) => event.data.batchId === "batch-a");
    assert.equal(measured.data.modelVersion, 1);
  });

  it("leaves the batch the new champion trained on unscored, and records why", async () => {
    assert.equal(await harness.monitoring.stop(), 0);
    await harness.publishValidated("batch-b", batchB);
    // The trainer's run on batch-b (its snapshot holds it) beats the champion and is promoted while monitoring is down.
    const challenger = await harness.train("run-two", trainingRows);
    await harness.publishTrained("run-two", challenger, {
      snapshotBatchIds: ["batch-a", "batch-b"],
      metrics: { accuracy: 0.99, log_loss: 0.01 },
      champion: { version: 1, metrics: { accuracy: 0.5, log_loss: 1 } },
    });
    await harness.event("model.promoted", (event) => event.data.version === 2);

    await harness.startMonitoring();
    const unscored = await harness.monitoring.waitForLog(
      (line) => line.event === "performance.unscored" && line.batchId === "batch-b",
      60_000,
    );
    assert.equal(unscored.championVersion, 2);
    assert.equal(unscored.reason, "trained-on-batch");

    const metrics = (await harness.rpc.GetPrequentialMetrics({
      dataset: harness.dataset,
    })) as GetPrequentialMetricsResponse__Output;
    assert.deepEqual(
      metrics.points.map((point) => [point.batch_id, Number(point.model_version)]),
      [["batch-a", 1]],
    );
    assert.equal(metrics.unscored.length, 1);
    const [record] = metrics.unscored;
    assert.equal(record?.batch_id, "batch-b");
    assert.equal(Number(record?.model_version), 2);
    assert.equal(record?.run_id, "run-two");
    assert.match(
      record?.reason ?? "",
      /champion version 2 \(run run-two\) trained on batch batch-b: its training snapshot holds the batch/,
    );
    assert.equal(
      harness.eventsOf("performance.measured").filter((event) => event.data.batchId === "batch-b").length,
      0,
    );
    assert.equal(
      metricValue(await harness.metrics(), "gyre_prequential_unscored_batches_total", { dataset: harness.dataset }),
      1,
    );
  });

  it("scores the next batch, which no champion trained on, with the new champion", async () => {
    await harness.publishValidated("batch-c", everyNth(seattle, 7, 3));
    const measured = await harness.event("performance.measured", (event) => event.data.batchId === "batch-c");
    assert.equal(measured.data.modelVersion, 2);
  });
});
