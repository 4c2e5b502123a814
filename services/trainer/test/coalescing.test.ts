import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type * as grpc from "@grpc/grpc-js";
import { readDlq } from "@gyre/bus";
import { type DriftDetected, newEvent } from "@gyre/contracts";
import { GrpcStatus, type TrainResponse__Output } from "@gyre/grpc";
import { type Progress, type Trained, TrainingLoop, weatherBatches } from "./harness.ts";

const DATASET = "seattle-weather";
const SUNNY = "sunny-days";
const BURST = 10;

function driftEvent(dataset: string, index: number) {
  const data: DriftDetected = {
    dataset,
    kind: "data",
    features: [{ name: "temp_max", test: "ks", statistic: 0.31, pValue: 0.0001, threshold: 0.05 }],
    correction: "bonferroni",
    share: 0.5,
    threshold: 0.3,
    reportKey: null,
    window: { source: "batches", rows: 300 },
    modelVersion: null,
  };
  return newEvent("drift.detected", "gyre/test", data, { id: `drift-burst-${index}` });
}

describe("trainer: coalescing and runs that cannot train", () => {
  const harness = new TrainingLoop();

  before(async () => {
    await harness.start();
    // No run starts on rows here (minRows out of reach): runs start by hand or on drift only.
    await harness.applySpec(DATASET, {
      training: {
        retrainEveryRows: 0,
        minRows: 100_000,
        onDrift: true,
        cooldownSeconds: 0,
        holdoutShare: 0.2,
        seed: 7,
      },
      // Long enough (a few seconds) for a burst of triggers to arrive during the run.
      model: { kind: "mlp-classifier", layers: [{ units: 32 }], epochs: 100, batchSize: 16 },
    });
    // Only sunny days: one class, which no classifier can learn from.
    await harness.applySpec(SUNNY, {
      training: { retrainEveryRows: 300, minRows: 100, holdoutShare: 0.2, seed: 1 },
      model: { kind: "mlp-classifier", layers: [{ units: 4 }], epochs: 2 },
    });
    const sunny = weatherBatches(12, (row) => row.weather === "sun");
    await harness.send(DATASET, weatherBatches(12));
    await harness.send(SUNNY, sunny.slice(0, 1));
    await harness.loop.waitFor("features.updated", 5);
  });

  after(() => harness.close());

  it("turns a burst of 10 triggers during a run into exactly one follow-up run carrying all of them", async () => {
    const started = (await harness.rpc.Train({
      dataset: DATASET,
      actor: "test",
      reason: "burst",
    })) as TrainResponse__Output;
    assert.notEqual(started.run_id, "");
    const runA = started.run_id;
    await harness.waitFor<Progress>("training.progress", (event) => event.data.runId === runA);
    for (let index = 0; index < BURST; index++) {
      await harness.loop.bus.publish(driftEvent(DATASET, index), DATASET);
    }
    const ids = Array.from({ length: BURST }, (_, index) => `drift-burst-${index}`);
    const pending = await harness.waitForRow<{ event_id: string; received_at: Date; run_id: string | null }>(
      "SELECT event_id, received_at, run_id FROM triggers WHERE event_id = ANY($1::text[])",
      [ids],
      (rows) => rows.length === BURST,
    );
    // Every trigger was recorded, pending, while run A was still running.
    const [runARow] = (await harness.db.query("SELECT status FROM runs WHERE run_id = $1", [runA])).rows;
    assert.equal(runARow.status, "running");
    assert.ok(pending.every((trigger) => trigger.run_id === null));

    const trainedA = await harness.waitFor<Trained>("model.trained", (event) => event.data.runId === runA);
    assert.equal(trainedA.length, 1);
    const [followUp] = (await harness.waitFor<Trained>(
      "model.trained",
      (event) => event.data.dataset === DATASET && event.data.runId !== runA,
    )) as [Trained];
    assert.equal(followUp.data.trigger.reason, "drift");
    assert.deepEqual([...followUp.data.trigger.eventIds].sort(), [...ids].sort());
    // Two sweeps later, still no third run: the burst made one follow-up, not ten.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const runs = await harness.db.query<{ run_id: string; trigger: { eventIds: string[] } }>(
      "SELECT run_id, trigger FROM runs WHERE dataset = $1 AND reproduces IS NULL ORDER BY started_at",
      [DATASET],
    );
    assert.deepEqual(
      runs.rows.map((run) => run.run_id),
      [runA, followUp.data.runId],
    );
    const claimed = await harness.db.query("SELECT DISTINCT run_id FROM triggers WHERE event_id = ANY($1::text[])", [
      ids,
    ]);
    assert.deepEqual(
      claimed.rows.map((row) => row.run_id),
      [followUp.data.runId],
    );
  });

  it("records a run on single-class data as failed with the reason, registers nothing and dead-letters nothing", async () => {
    const [failed] = await harness.waitForRow<{ run_id: string; status: string; error: string; error_kind: string }>(
      "SELECT run_id, status, error, error_kind FROM runs WHERE dataset = $1 AND status <> 'running'",
      [SUNNY],
      (rows) => rows.length > 0,
    );
    assert.ok(failed);
    assert.equal(failed.status, "failed");
    assert.equal(failed.error_kind, "single-class");
    assert.match(failed.error, /sun/);
    assert.equal(harness.seen<Trained>("model.trained", (event) => event.data.dataset === SUNNY).length, 0);
    await assert.rejects(
      () => harness.registry.GetModel({ dataset: SUNNY }),
      (error: grpc.ServiceError) => error.code === GrpcStatus.NOT_FOUND,
    );
    // The trigger was acked, not retried: one run, no dead letter.
    const runs = await harness.db.query("SELECT count(*)::int AS n FROM runs WHERE dataset = $1", [SUNNY]);
    assert.equal(runs.rows[0].n, 1);
    assert.deepEqual(await readDlq(harness.loop.bus, "trainer"), []);
  });
  it("on SIGTERM finishes the run a trigger started and publishes it before exiting", async () => {
    await harness.loop.bus.publish(driftEvent(DATASET, 100), DATASET);
    const [running] = await harness.waitForRow<{ run_id: string }>(
      "SELECT run_id FROM triggers WHERE event_id = 'drift-burst-100' AND run_id IS NOT NULL",
      [],
      (rows) => rows.length === 1,
    );
    assert.ok(running);
    await harness.waitFor<Progress>("training.progress", (event) => event.data.runId === running.run_id);
    // A 100-epoch run on a busy 2-core machine can take over a minute to finish after SIGTERM.
    assert.equal(await harness.trainer.stop(180_000), 0);
    const [row] = (await harness.db.query("SELECT status, published_at FROM runs WHERE run_id = $1", [running.run_id]))
      .rows;
    assert.equal(row.status, "succeeded");
    assert.ok(row.published_at !== null, "model.trained went out before the process exited");
    await harness.waitFor<Trained>("model.trained", (event) => event.data.runId === running.run_id);
    await harness.startTrainer();
  });

  it("fails a run whose trainer was killed as interrupted, and trains its trigger again in the next trainer", async () => {
    const started = (await harness.rpc.Train({
      dataset: DATASET,
      actor: "test",
      reason: "crash",
      request_id: "crash-1",
    })) as TrainResponse__Output;
    const runC = started.run_id;
    assert.notEqual(runC, "");
    await harness.waitFor<Progress>("training.progress", (event) => event.data.runId === runC);
    await harness.trainer.kill();
    // PostgreSQL ended the dead process's session, and released the dataset lock with it: the next trainer's
    // start-up sweep takes the lock, fails the orphaned run and claims its trigger again.
    await harness.startTrainer();
    const [retried] = (await harness.waitFor<Trained>("model.trained", (event) =>
      event.data.trigger.eventIds.includes("manual-crash-1"),
    )) as [Trained];
    assert.notEqual(retried.data.runId, runC);
    const [interrupted] = (
      await harness.db.query("SELECT status, error_kind, error FROM runs WHERE run_id = $1", [runC])
    ).rows;
    assert.equal(interrupted.status, "failed");
    assert.equal(interrupted.error_kind, "interrupted");
    assert.match(interrupted.error, /lock/);
  });
});
