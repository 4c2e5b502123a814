import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { createArtifactStore } from "@gyre/artifacts";
import type { DataIngested } from "@gyre/contracts";
import type { Lineage__Output, ReproduceRunResponse__Output, TrainResponse__Output } from "@gyre/grpc";
import { type Decision, type Progress, type Trained, TrainingLoop, weatherBatches } from "./harness.ts";

const DATASET = "seattle-weather";
// Half-years: eight batches, 1,461 labelled rows in all. minRows is that total, so the first run starts on the
// last batch's features.updated and its snapshot holds every batch.
const batches = weatherBatches(6);
const TOTAL_ROWS = batches.reduce((sum, batch) => sum + batch.rows.length, 0);
const MODEL = {
  kind: "mlp-classifier" as const,
  layers: [{ units: 16, activation: "relu" as const }],
  epochs: 12,
  batchSize: 64,
  learningRate: 0.01,
};

describe("trainer: seattle-weather from features.updated to a registered champion", () => {
  const harness = new TrainingLoop();
  let first: Trained;

  before(async () => {
    await harness.start();
    await harness.applySpec(DATASET, {
      training: { retrainEveryRows: 300, minRows: TOTAL_ROWS, holdoutShare: 0.2, windowRows: 2000, seed: 42 },
      model: MODEL,
    });
    await harness.send(DATASET, batches);
    [first] = (await harness.waitFor<Trained>("model.trained", (event) => event.data.dataset === DATASET)) as [Trained];
  });

  after(() => harness.close());

  it("trains a first model once minRows labelled rows arrived, registers it as version 1 and promotes it", async () => {
    assert.equal(TOTAL_ROWS, 1461);
    assert.equal(first.id, `trained-${first.data.runId}`);
    assert.equal(first.data.trigger.reason, "features");
    assert.equal(first.data.championVersion, null);
    assert.equal(first.data.artifactKey, `models/${DATASET}/${first.data.runId}`);
    const [promoted] = (await harness.waitFor<Decision>(
      "model.promoted",
      (event) => event.data.dataset === DATASET,
    )) as [Decision];
    assert.equal(promoted.data.version, 1);
    assert.equal(promoted.data.runId, first.data.runId);
    assert.ok((first.data.metrics.accuracy ?? 0) > 0.6, `accuracy ${first.data.metrics.accuracy}`);

    const { rows } = await harness.db.query(
      "SELECT status, params, backend, code_version, snapshot_id, train_rows, holdout_rows FROM runs WHERE run_id = $1",
      [first.data.runId],
    );
    assert.equal(rows[0].status, "succeeded");
    assert.deepEqual(rows[0].params.model.layers, MODEL.layers);
    assert.equal(rows[0].params.seed, 42);
    assert.equal(rows[0].backend, first.data.backend);
    assert.equal(rows[0].train_rows + rows[0].holdout_rows, TOTAL_ROWS);
    const epochs = await harness.db.query("SELECT count(*)::int AS n FROM run_epochs WHERE run_id = $1", [
      first.data.runId,
    ]);
    assert.ok(epochs.rows[0].n >= 1 && epochs.rows[0].n <= MODEL.epochs);
    const progress = harness.seen<Progress>("training.progress", (event) => event.data.runId === first.data.runId);
    assert.ok(progress.some((event) => event.data.epoch === 1));
  });

  it("records the lineage: every raw batch hash the model was trained on, as ingestion stored them", async () => {
    const lineage = (await harness.registry.GetLineage({ dataset: DATASET, version: 1 })) as Lineage__Output;
    const ingested = harness.loop.seen("data.ingested").map((event) => (event.data as DataIngested).sha256);
    const sent = batches.map((batch) => createHash("sha256").update(batch.csv).digest("hex"));
    assert.equal(lineage.run_id, first.data.runId);
    assert.equal(lineage.batches.length, batches.length);
    assert.deepEqual(lineage.batches.map((batch) => batch.sha256).sort(), [...ingested].sort());
    assert.deepEqual([...ingested].sort(), [...sent].sort());
  });

  it("reproduces the run from its snapshot with byte-identical weights and no metric difference", async () => {
    const result = (await harness.rpc.ReproduceRun({ run_id: first.data.runId })) as ReproduceRunResponse__Output;
    const reproduction = result.reproduction;
    assert.ok(reproduction);
    assert.equal(reproduction.status, "succeeded");
    assert.equal(reproduction.reproduces, first.data.runId);
    assert.equal(reproduction.snapshot_id, first.data.snapshot.id);
    assert.equal(result.same_backend, true);
    assert.equal(result.weights_identical, true);
    const store = createArtifactStore({ ...harness.loop.infra.s3, bucket: harness.loop.bucket });
    const original = await store.getBuffer(`${first.data.artifactKey}/weights.bin`);
    const reproduced = await store.getBuffer(`${reproduction.artifact_key}/weights.bin`);
    assert.ok(original.length > 0);
    assert.ok(original.equals(reproduced), "weights.bin differ");
    assert.ok(result.metrics.length >= 3);
    for (const metric of result.metrics) assert.equal(metric.difference, 0, metric.name);
    // A reproduction is not a candidate: the registry sees no model.trained for it.
    assert.equal(harness.seen<Trained>("model.trained", (e) => e.data.runId === reproduction.run_id).length, 0);
  });

  it("registers a deliberately worse candidate without promoting it; the reason names the metric and both values", async () => {
    await harness.applySpec(DATASET, {
      training: { retrainEveryRows: 300, minRows: TOTAL_ROWS, holdoutShare: 0.2, windowRows: 2000, seed: 42 },
      model: { ...MODEL, layers: [{ units: 1, activation: "relu" }], epochs: 1 },
    });
    const started = (await harness.rpc.Train({
      dataset: DATASET,
      actor: "test",
      reason: "worse candidate",
      request_id: "worse-1",
    })) as TrainResponse__Output;
    assert.equal(started.trigger_id, "manual-worse-1");
    assert.notEqual(started.run_id, "");
    const [worse] = (await harness.waitFor<Trained>("model.trained", (e) => e.data.runId === started.run_id)) as [
      Trained,
    ];
    assert.equal(worse.data.trigger.reason, "manual");
    assert.deepEqual(worse.data.trigger.eventIds, ["manual-worse-1"]);
    assert.equal(worse.data.championVersion, 1);
    const [rejected] = (await harness.waitFor<Decision>("model.rejected", (e) => e.data.runId === started.run_id)) as [
      Decision,
    ];
    assert.equal(rejected.data.version, 2);
    const candidate = worse.data.metrics.accuracy;
    const champion = worse.data.championMetrics?.accuracy;
    assert.ok(candidate !== undefined && champion !== undefined && candidate < champion, `${candidate} < ${champion}`);
    const match = /accuracy (\d\.\d+) does not beat champion (\d\.\d+)/.exec(rejected.data.reason);
    assert.ok(match, rejected.data.reason);
    assert.ok(Math.abs(Number(match[1]) - candidate) < 1e-3, `${match[1]} vs ${candidate}`);
    assert.ok(Math.abs(Number(match[2]) - champion) < 1e-3, `${match[2]} vs ${champion}`);
    // The champion's holdout metrics match what the first run measured on the same snapshot window.
    assert.equal(harness.seen<Decision>("model.promoted", (e) => e.data.dataset === DATASET).length, 1);
  });
});
