import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type * as grpc from "@grpc/grpc-js";
import { GrpcStatus } from "@gyre/grpc";
import { RegistryHarness, snapshotOf } from "./harness.ts";

const DATASET = "weather";

/** Rejects with a gRPC error of this status whose message contains every fragment. */
async function rejectsWith(call: Promise<unknown>, code: grpc.status, ...fragments: string[]): Promise<string> {
  const error = await call.then(
    () => assert.fail(`expected ${GrpcStatus[code]}, got an answer`),
    (failure: grpc.ServiceError) => failure,
  );
  assert.equal(GrpcStatus[error.code], GrpcStatus[code], error.details);
  for (const fragment of fragments)
    assert.ok(error.details.includes(fragment), `"${error.details}" lacks "${fragment}"`);
  return error.details;
}

// One model history, built up step by step: each test builds on the state the ones before it left.
describe("registry service", () => {
  const harness = new RegistryHarness();
  before(() => harness.start([DATASET]));
  after(() => harness.cleanup());

  const first = () =>
    harness.trained(DATASET, "run-1", { metrics: { accuracy: 0.745, log_loss: 0.63, macro_f1: 0.5 } });

  it("registers a first model as version 1 and makes it champion", async () => {
    await harness.putArtifact(first().artifactKey);
    await harness.publishTrained(first());
    const promoted = await harness.decision(`promoted-${DATASET}-1`);
    assert.equal(promoted.type, "model.promoted");
    assert.deepEqual(
      { version: promoted.data.version, previousVersion: promoted.data.previousVersion, runId: promoted.data.runId },
      { version: 1, previousVersion: null, runId: "run-1" },
    );
    assert.match(promoted.data.reason, /first model/);
    const champion = await harness.rpc.GetChampion({ dataset: DATASET });
    assert.equal(champion.version, "1");
    assert.equal(champion.artifact_key, `models/${DATASET}/run-1`);
    assert.equal(champion.metrics.accuracy, 0.745);
  });

  it("registers a worse candidate as version 2, rejects it naming the metric and both values, and makes it challenger", async () => {
    const worse = harness.trained(DATASET, "run-2", {
      metrics: { accuracy: 0.712, log_loss: 0.7, macro_f1: 0.45 },
      championVersion: 1,
      championMetrics: { accuracy: 0.745, log_loss: 0.63, macro_f1: 0.5 },
    });
    await harness.putArtifact(worse.artifactKey);
    await harness.publishTrained(worse);
    const rejected = await harness.decision(`rejected-${DATASET}-2`);
    assert.equal(rejected.type, "model.rejected");
    assert.equal(rejected.data.reason, "accuracy 0.712 does not beat champion 0.745 by at least 0.000");
    assert.equal(rejected.data.previousVersion, 1);
    const model = await harness.rpc.GetModel({ dataset: DATASET });
    assert.deepEqual(model.aliases, { champion: "1", challenger: "2" });
    const v2 = model.versions.find((version) => version.version === "2");
    assert.deepEqual([v2?.status, v2?.aliases], ["challenger", ["challenger"]]);
    assert.equal((await harness.rpc.GetChampion({ dataset: DATASET })).version, "1");
  });

  it("promotes a better candidate and keeps the champion it replaced", async () => {
    const better = harness.trained(DATASET, "run-3", {
      metrics: { accuracy: 0.8, log_loss: 0.61, macro_f1: 0.6 },
      championVersion: 1,
      championMetrics: { accuracy: 0.745, log_loss: 0.63, macro_f1: 0.5 },
      snapshot: snapshotOf("snap-run-3", 12),
    });
    await harness.putArtifact(better.artifactKey);
    await harness.publishTrained(better);
    const promoted = await harness.decision(`promoted-${DATASET}-3`);
    assert.deepEqual([promoted.data.version, promoted.data.previousVersion], [3, 1]);
    assert.equal(
      promoted.data.reason,
      "promoted: accuracy 0.800 > champion 0.745 (by 0.055, at least 0.000 needed); guard log_loss 0.610 vs 0.630 ok",
    );
    const model = await harness.rpc.GetModel({ dataset: DATASET });
    assert.deepEqual(
      model.versions.map((version) => [version.version, version.status]),
      [
        ["1", "archived"],
        ["2", "rejected"],
        ["3", "champion"],
      ],
    );
    assert.deepEqual(model.aliases, { champion: "3" });
  });

  it("lists every raw batch hash of the snapshot in a version's lineage", async () => {
    const lineage = await harness.rpc.GetLineage({ dataset: DATASET, version: 3 });
    const snapshot = snapshotOf("snap-run-3", 12);
    assert.deepEqual(
      { run: lineage.run_id, snapshot: lineage.snapshot_id, specRevision: lineage.spec_revision },
      { run: "run-3", snapshot: "snap-run-3", specRevision: String(harness.revision(DATASET)) },
    );
    assert.deepEqual(
      lineage.batches,
      snapshot.batches.map((batch) => ({ batch_id: batch.batchId, sha256: batch.sha256 })),
    );
  });

  it("registers one version when the same model.trained arrives twice", async () => {
    const seen = harness.decisions.length;
    await harness.publishTrained(
      harness.trained(DATASET, "run-3", {
        metrics: { accuracy: 0.8, log_loss: 0.61, macro_f1: 0.6 },
        championVersion: 1,
        championMetrics: { accuracy: 0.745, log_loss: 0.63, macro_f1: 0.5 },
        snapshot: snapshotOf("snap-run-3", 12),
      }),
    );
    const line = await harness.service.waitForLog(
      (log) => log.event === "run.already_registered" && log.runId === "run-3",
    );
    assert.deepEqual(
      [line.version, line.eventId, line.republished, line.duplicate],
      [3, `promoted-${DATASET}-3`, true, true],
    );
    const model = await harness.rpc.GetModel({ dataset: DATASET });
    assert.equal(model.versions.length, 3);
    assert.equal(harness.decisions.length, seen, "the republished decision was dropped by JetStream as a duplicate");
  });

  it("refuses a model.trained whose artifact is missing: dead letter naming the key, nothing registered", async () => {
    const missing = harness.trained(DATASET, "run-4", {
      metrics: { accuracy: 0.9, log_loss: 0.5 },
      championVersion: 3,
      championMetrics: { accuracy: 0.8, log_loss: 0.61 },
    });
    await harness.publishTrained(missing);
    const letter = await harness.deadLetter("run-4");
    assert.equal(letter.kind, "permanent");
    assert.match(letter.reason, /artifact file "models\/weather\/run-4\/metadata\.json" is missing/);
    const model = await harness.rpc.GetModel({ dataset: DATASET });
    assert.deepEqual([model.versions.length, model.aliases.champion], [3, "3"]);
    const run = await harness.rpc.GetRun({ run_id: "run-4" });
    assert.deepEqual([run.outcome, run.version], ["refused", "0"]);
    assert.match(run.refusal_reason, /models\/weather\/run-4\/metadata\.json/);
  });

  it("refuses an empty artifact file and an unknown spec revision, registering nothing", async () => {
    const empty = harness.trained(DATASET, "run-5");
    await harness.putArtifact(empty.artifactKey);
    await harness.store.put(`${empty.artifactKey}/model.json`, "");
    const unknownSpec = harness.trained(DATASET, "run-6", { specRevision: 9999 });
    await harness.putArtifact(unknownSpec.artifactKey);
    await Promise.all([harness.publishTrained(empty), harness.publishTrained(unknownSpec)]);
    assert.match(
      (await harness.deadLetter("run-5")).reason,
      /artifact file "models\/weather\/run-5\/model\.json" in bucket "[^"]+" is empty/,
    );
    assert.match((await harness.deadLetter("run-6")).reason, /dataset "weather" has no spec revision 9999/);
    const model = await harness.rpc.GetModel({ dataset: DATASET });
    assert.equal(model.versions.length, 3);
  });

  it("rolls back to the previous champion and publishes model.promoted with the actor", async () => {
    const change = await harness.rpc.Rollback({ dataset: DATASET, actor: "alice", reason: "v3 misbehaves in canary" });
    assert.deepEqual([change.version, change.previous_version], ["1", "3"]);
    const promoted = await harness.decision(change.event_id);
    assert.deepEqual(
      { version: promoted.data.version, previous: promoted.data.previousVersion, actor: promoted.data.actor },
      { version: 1, previous: 3, actor: "alice" },
    );
    assert.match(promoted.data.reason, /rollback from version 3 to version 1 by alice: v3 misbehaves in canary/);
    assert.equal((await harness.rpc.GetChampion({ dataset: DATASET })).version, "1");
    const model = await harness.rpc.GetModel({ dataset: DATASET });
    const audit = model.audit.at(-1);
    assert.deepEqual(
      [audit?.action, audit?.from_version, audit?.to_version, audit?.actor, audit?.reason],
      ["rollback", "3", "1", "alice", "v3 misbehaves in canary"],
    );
  });

  it("answers FAILED_PRECONDITION naming the dataset to a rollback with no previous champion", async () => {
    // version 1 is champion again, and it replaced no champion
    await rejectsWith(
      harness.rpc.Rollback({ dataset: DATASET, actor: "alice", reason: "again" }),
      GrpcStatus.FAILED_PRECONDITION,
      `dataset "${DATASET}"`,
      "no previous champion",
    );
    assert.equal((await harness.rpc.GetChampion({ dataset: DATASET })).version, "1");
  });

  it("answers NOT_FOUND naming dataset and version to a promote of a version that does not exist", async () => {
    await rejectsWith(
      harness.rpc.Promote({ dataset: DATASET, version: 99, actor: "bob", reason: "try" }),
      GrpcStatus.NOT_FOUND,
      `dataset "${DATASET}" has no model version 99`,
    );
    await rejectsWith(
      harness.rpc.Promote({ dataset: "nosuch", version: 1, actor: "bob", reason: "try" }),
      GrpcStatus.NOT_FOUND,
      'dataset "nosuch" has no model version 1',
    );
  });

  it("promotes by hand, audited, and answers a repeated request with the same event", async () => {
    const request = {
      dataset: DATASET,
      version: 2,
      actor: "bob",
      reason: "challenger wins the canary",
      request_id: "req-1",
    };
    const change = await harness.rpc.Promote(request);
    assert.deepEqual([change.version, change.previous_version], ["2", "1"]);
    const promoted = await harness.decision(change.event_id);
    assert.deepEqual([promoted.data.version, promoted.data.actor, promoted.data.runId], [2, "bob", "run-2"]);
    const again = await harness.rpc.Promote(request);
    assert.deepEqual([again.event_id, again.audit_id], [change.event_id, change.audit_id]);
    const model = await harness.rpc.GetModel({ dataset: DATASET });
    assert.equal(model.audit.filter((entry) => entry.action === "manual-promote").length, 1);
    assert.deepEqual(model.aliases, { champion: "2" });
    // a rollback now goes to the champion the manual promotion replaced
    const rolledBack = await harness.rpc.Rollback({ dataset: DATASET, actor: "carol", reason: "undo" });
    assert.equal(rolledBack.version, "1");
  });

  it("answers INVALID_ARGUMENT naming the field and the value", async () => {
    await rejectsWith(harness.rpc.GetModel({ dataset: "Bad Name" }), GrpcStatus.INVALID_ARGUMENT, 'dataset "Bad Name"');
    await rejectsWith(
      harness.rpc.Promote({ dataset: DATASET, version: 0, actor: "bob", reason: "x" }),
      GrpcStatus.INVALID_ARGUMENT,
      'version "0"',
    );
    await rejectsWith(
      harness.rpc.Rollback({ dataset: DATASET, actor: " ", reason: "x" }),
      GrpcStatus.INVALID_ARGUMENT,
      'actor " "',
    );
    await rejectsWith(harness.rpc.GetRun({ run_id: "../x" }), GrpcStatus.INVALID_ARGUMENT, 'run_id "../x"');
  });

  it("lists and compares runs from what model.trained carried", async () => {
    const { runs } = await harness.rpc.ListRuns({ dataset: DATASET });
    assert.deepEqual(runs.map((run) => [run.run_id, run.outcome]).sort(), [
      ["run-1", "registered"],
      ["run-2", "registered"],
      ["run-3", "registered"],
      ["run-4", "refused"],
      ["run-5", "refused"],
      ["run-6", "refused"],
    ]);
    const comparison = await harness.rpc.CompareRuns({ run_id_a: "run-1", run_id_b: "run-3" });
    const accuracy = comparison.metrics.find((metric) => metric.name === "accuracy");
    assert.deepEqual([accuracy?.a, accuracy?.b, accuracy?.better], [0.745, 0.8, "b"]);
    assert.ok(Math.abs((accuracy?.difference ?? 0) - 0.055) < 1e-9);
    const snapshot = comparison.params.find((param) => param.name === "batch_count");
    assert.deepEqual([snapshot?.a, snapshot?.b, snapshot?.differs], ["3", "12", true]);
    const { models } = await harness.rpc.ListModels({});
    assert.deepEqual(
      models.map((model) => [model.dataset, model.version_count, model.champion_version]),
      [[DATASET, "3", "1"]],
    );
  });

  it("exports versions registered, promotions, rejections and the champion version", async () => {
    const text = await harness.metrics();
    const value = (pattern: RegExp) => Number(text.match(pattern)?.[1]);
    assert.equal(value(/gyre_registry_versions_registered_total\{[^}]*dataset="weather"[^}]*\} (\d+)/), 3);
    assert.equal(value(/gyre_registry_rejections_total\{[^}]*dataset="weather"[^}]*\} (\d+)/), 1);
    assert.equal(value(/gyre_registry_promotions_total\{[^}]*dataset="weather",outcome="policy"[^}]*\} (\d+)/), 2);
    assert.equal(value(/gyre_registry_promotions_total\{[^}]*dataset="weather",outcome="rollback"[^}]*\} (\d+)/), 2);
    assert.equal(value(/gyre_champion_version\{[^}]*dataset="weather"[^}]*\} (\d+)/), 1);
  });

  it("drains on SIGTERM: stops gRPC and the consumer, then exits 0", async () => {
    assert.equal(await harness.service.stop(), 0);
    assert.ok(harness.service.logs.some((line) => line.event === "service.stopped"));
  });
});
