import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { newEvent } from "@gyre/contracts";
import { meter } from "../eventLines.ts";
import { LoopRecord, type SentBatch } from "../loopRecord.ts";

const SHA = "a".repeat(64);
const seattle: SentBatch = { key: "r-weather-seattle-2012-01", location: "Seattle", month: "2012-01", rows: 31 };
const newYork: SentBatch = { key: "r-weather-new-york-2012-01", location: "New York", month: "2012-01", rows: 31 };

const ingested = (batch: SentBatch, batchId: string, id = `ingested-${batchId}`) =>
  newEvent(
    "data.ingested",
    "test",
    {
      batchId,
      dataset: "weather",
      sha256: SHA,
      objectKey: `raw/${batchId}`,
      rowCount: batch.rows,
      eventTimeMin: null,
      eventTimeMax: null,
      specRevision: 1,
      batchKey: batch.key,
    },
    { id },
  );

const validated = (batchId: string, invalidRows = 0) =>
  newEvent("data.validated", "test", {
    batchId,
    dataset: "weather",
    sha256: SHA,
    specRevision: 1,
    rowCount: 31,
    validRows: 31 - invalidRows,
    invalidRows,
    statistics: {},
    anomalies: [],
  });

const trained = (runId: string, reason: "features" | "drift") =>
  newEvent("model.trained", "test", {
    runId,
    dataset: "weather",
    metrics: { accuracy: 0.8 },
    championMetrics: null,
    championVersion: null,
    artifactKey: `models/weather/${runId}`,
    snapshot: { id: `snap-${runId}`, batches: [{ batchId: "b1", sha256: SHA }] },
    specRevision: 1,
    backend: "wasm",
    trigger: { reason, eventIds: [] },
  });

const decision = (type: "model.promoted" | "model.rejected", runId: string, version: number) =>
  newEvent(type, "test", {
    dataset: "weather",
    version,
    previousVersion: version > 1 ? 1 : null,
    reason: type === "model.promoted" ? "promoted: better" : "accuracy 0.7 does not beat champion 0.8",
    runId,
  });

const drift = () =>
  newEvent("drift.detected", "test", {
    dataset: "weather",
    kind: "performance",
    features: [{ name: "accuracy", test: "performance", statistic: 0.5, pValue: null, threshold: 0.7 }],
    correction: "none",
    share: 1,
    threshold: 0.3,
    reportKey: null,
    window: { source: "batches", rows: 31 },
    modelVersion: 1,
  });

const score = (batchId: string, modelVersion: number, value: number) =>
  newEvent("performance.measured", "test", {
    dataset: "weather",
    batchId,
    modelVersion,
    metric: "accuracy",
    value,
    championHoldoutValue: 0.8,
    rows: 31,
  });

const firstModel = [trained("r1", "features"), decision("model.promoted", "r1", 1)];
const driftRun = [...firstModel, drift(), trained("r2", "drift")];

describe("LoopRecord: what the loop did with the demo's batches, from its events", () => {
  it("counts an event once when it is delivered twice", () => {
    const record = new LoopRecord();
    record.markSent(seattle);
    assert.equal(record.add(ingested(seattle, "b1")), true);
    assert.equal(record.add(ingested(seattle, "b1")), false);
    record.add(validated("b1", 2));
    assert.deepEqual(record.rows(), { sent: 31, stored: 0, quarantined: 2, rejected: 0 });
    assert.equal(record.ingested.size, 1);
  });

  it("ignores batches another producer sent to the same dataset", () => {
    const record = new LoopRecord();
    record.markSent(seattle);
    assert.equal(record.add(ingested(newYork, "other")), false);
    assert.equal(record.add(validated("other")), false);
    assert.equal(record.validated.size, 0);
  });

  const cases: {
    name: string;
    events: ReturnType<typeof trained | typeof decision | typeof drift>[];
    missing: RegExp[];
  }[] = [
    {
      name: "nothing happened",
      events: [],
      missing: [/no model was promoted/, /no drift was detected/, /no drift-triggered retrain/],
    },
    {
      name: "a first model but no drift",
      events: firstModel,
      missing: [/no drift was detected/, /no drift-triggered retrain/],
    },
    {
      name: "drift that started no run",
      events: [...firstModel, drift()],
      missing: [/no retrain was triggered by the drift/],
    },
    {
      name: "a drift retrain the registry rejected",
      events: [...driftRun, decision("model.rejected", "r2", 2)],
      missing: [/registry rejected v2 \(accuracy 0.7 does not beat champion 0.8\)/],
    },
    {
      name: "a drift retrain still waiting for the registry",
      events: driftRun,
      missing: [/run r2 awaits the registry's decision/],
    },
    { name: "a promoted drift retrain", events: [...driftRun, decision("model.promoted", "r2", 2)], missing: [] },
  ];
  for (const { name, events, missing } of cases) {
    it(`names what is missing when ${name}`, () => {
      const record = new LoopRecord();
      for (const event of events) record.add(event);
      const said = record.missing();
      assert.equal(said.length, missing.length, said.join("; "));
      for (const [index, pattern] of missing.entries()) assert.match(said[index] ?? "", pattern);
    });
  }

  it("splits a city's prequential scores at the first drift retrain promoted after the city started", () => {
    const record = new LoopRecord();
    record.markSent(seattle);
    record.add(ingested(seattle, "s1"));
    record.add(trained("r1", "features"));
    record.add(decision("model.promoted", "r1", 1));
    const months = ["2012-01", "2012-02", "2012-03"].map((month) => ({ ...newYork, key: `ny-${month}`, month }));
    months.forEach((batch, index) => {
      record.markSent(batch);
      record.add(ingested(batch, `n${index}`));
    });
    record.add(score("n0", 1, 0.5));
    record.add(trained("r2", "drift"));
    record.add(decision("model.promoted", "r2", 2));
    record.add(score("n1", 2, 0.8));
    record.add(score("n2", 2, 0.9));
    const around = record.prequentialAround("New York");
    assert.equal(around.retrainVersion, 2);
    assert.deepEqual(around.before, { mean: 0.5, batches: 1 });
    assert.equal(around.after.batches, 2);
    assert.ok(Math.abs((around.after.mean ?? 0) - 0.85) < 1e-9);
  });

  it("is not settled while a run reported progress and has not finished", () => {
    const record = new LoopRecord();
    record.add(
      newEvent("training.progress", "test", { runId: "r1", dataset: "weather", epoch: 1, epochs: 15, metrics: {} }),
    );
    assert.equal(record.settled(), false);
    record.add(trained("r1", "features"));
    assert.equal(record.settled(), false, "trained but not yet decided by the registry");
    record.add(decision("model.promoted", "r1", 1));
    assert.equal(record.settled(), true);
  });
});

describe("meter: a bar of eighths for a value in [0, 1]", () => {
  const cases: [number, string][] = [
    [0, "▕          ▏"],
    [1, "▕██████████▏"],
    [0.5, "▕█████     ▏"],
    [0.8125, "▕████████▏ ▏"],
    [1.7, "▕██████████▏"],
    [-0.2, "▕          ▏"],
  ];
  for (const [value, bar] of cases) {
    it(`draws ${value} as ${bar}`, () => assert.equal(meter(value), bar));
  }
});
