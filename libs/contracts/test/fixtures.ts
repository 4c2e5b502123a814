import assert from "node:assert/strict";
import { test } from "node:test";
import { type EventType, type GyreEvent, newEvent, parseEvent } from "../src/index.ts";

const SHA_A = "a".repeat(64);
const SHA_B = "0123456789abcdef".repeat(4);
const TIME = new Date("2024-05-01T12:00:00.000Z");
const options = { id: "evt-1", time: TIME };

/** One valid event of every type, type-checked against its data schema by `newEvent`. */
export const validEvents: { [T in EventType]: GyreEvent<T> } = {
  "data.arrived": newEvent(
    "data.arrived",
    "producer/weather",
    {
      dataset: "seattle-weather",
      batchKey: "2024-05-01:part-1",
      format: "csv",
      rows: "date,temp_max\n2024-05-01,18.3\n",
      labelled: true,
      metadata: { station: "SEA" },
    },
    options,
  ),
  "data.ingested": newEvent(
    "data.ingested",
    "gyre/ingestion",
    {
      batchId: "b-01HZX",
      dataset: "seattle-weather",
      sha256: SHA_A,
      objectKey: `raw/seattle-weather/${SHA_A}.csv`,
      rowCount: 1,
      eventTimeMin: "2024-05-01T00:00:00Z",
      eventTimeMax: "2024-05-01T00:00:00Z",
      specRevision: 3,
      batchKey: "2024-05-01:part-1",
    },
    options,
  ),
  "data.validated": newEvent(
    "data.validated",
    "gyre/validation",
    {
      batchId: "b-01HZX",
      dataset: "seattle-weather",
      sha256: SHA_A,
      specRevision: 3,
      rowCount: 10,
      validRows: 9,
      invalidRows: 1,
      statistics: {
        temp_max: {
          kind: "numeric",
          count: 9,
          nullCount: 1,
          nullShare: 0.1,
          mean: 17.2,
          std: 2.5,
          min: 12,
          max: 21.1,
          quantiles: { p05: 12.4, p50: 17, "0.95": 20.9 },
        },
        weather: { count: 10, nullCount: 0, nullShare: 0, categories: { rain: 4, sun: 6 } },
        date: { kind: "timestamp", count: 10, nullCount: 0, nullShare: 0, min: "2024-05-01T00:00:00Z", max: null },
      },
      anomalies: [{ feature: "temp_max", kind: "out_of_range", reason: "above 60", count: 1, example: 99.5 }],
      reportKey: "reports/seattle-weather/b-01HZX.json",
    },
    options,
  ),
  "data.rejected": newEvent(
    "data.rejected",
    "gyre/validation",
    {
      batchId: "b-01HZY",
      dataset: "seattle-weather",
      sha256: SHA_B,
      specRevision: 3,
      rowCount: 2,
      validRows: 0,
      invalidRows: 2,
      statistics: {},
      anomalies: [{ kind: "missing_column", reason: 'label column "weather" is missing', count: 2 }],
      reason: 'label column "weather" is missing',
    },
    options,
  ),
  "features.updated": newEvent(
    "features.updated",
    "gyre/feature-store",
    {
      batchId: "b-01HZX",
      dataset: "seattle-weather",
      rowsWritten: 9,
      watermark: "2024-05-01T00:00:00Z",
      specRevision: 3,
      labelledRows: 9,
    },
    options,
  ),
  "model.trained": newEvent(
    "model.trained",
    "gyre/trainer",
    {
      runId: "run-7",
      dataset: "seattle-weather",
      candidateVersion: null,
      metrics: { accuracy: 0.82, "f1.macro": 0.77 },
      championMetrics: { accuracy: 0.8, "f1.macro": 0.75 },
      championVersion: 2,
      artifactKey: "models/seattle-weather/run-7",
      snapshot: { id: "snap-7", batches: [{ batchId: "b-01HZX", sha256: SHA_A }] },
      specRevision: 3,
      backend: "wasm",
      trigger: { reason: "features", eventIds: ["evt-1"] },
    },
    options,
  ),
  "model.promoted": newEvent(
    "model.promoted",
    "gyre/registry",
    {
      dataset: "seattle-weather",
      version: 3,
      previousVersion: 2,
      reason: "accuracy 0.82 beats champion 0.80 by more than 0.01",
      runId: "run-7",
      metrics: { accuracy: 0.82 },
    },
    options,
  ),
  "model.rejected": newEvent(
    "model.rejected",
    "gyre/registry",
    { dataset: "seattle-weather", version: 4, previousVersion: 3, reason: "accuracy 0.79 < 0.82", runId: "run-8" },
    options,
  ),
  "training.progress": newEvent(
    "training.progress",
    "gyre/trainer",
    { runId: "run-7", dataset: "seattle-weather", epoch: 3, epochs: 10, metrics: { loss: 0.41 } },
    options,
  ),
  "labels.arrived": newEvent(
    "labels.arrived",
    "producer/weather-station",
    {
      dataset: "seattle-weather",
      labels: [
        { requestId: "req-1", label: "rain" },
        { requestId: "req-2.0", label: 12.5 },
      ],
    },
    options,
  ),
  "predictions.logged": newEvent(
    "predictions.logged",
    "gyre/serving",
    {
      dataset: "seattle-weather",
      modelVersion: 3,
      role: "champion",
      records: [
        {
          requestId: "req-1",
          inputs: { temp_max: 18.3, wind: null, weather_hint: "cloudy", holiday: false },
          outputs: { weather: "rain", probabilities: [0.7, 0.3] },
          label: "rain",
          at: "2024-05-01T12:00:00.123Z",
        },
      ],
    },
    options,
  ),
  "performance.measured": newEvent(
    "performance.measured",
    "gyre/monitoring",
    {
      dataset: "seattle-weather",
      batchId: "b-01HZX",
      modelVersion: 3,
      metric: "accuracy",
      value: 0.71,
      championHoldoutValue: 0.82,
      rows: 9,
    },
    options,
  ),
  "drift.detected": newEvent(
    "drift.detected",
    "gyre/monitoring",
    {
      dataset: "seattle-weather",
      kind: "data",
      features: [
        { name: "temp_max", test: "ks", statistic: 0.31, pValue: 0.0004, threshold: 0.05, psi: 0.27 },
        { name: "weather", test: "chi2", statistic: 14.2, pValue: 0.001, threshold: 0.05, jsd: 0.12 },
      ],
      correction: "bonferroni",
      share: 0.5,
      threshold: 0.3,
      reportKey: null,
      window: { source: "predictions", rows: 500 },
      modelVersion: 3,
    },
    options,
  ),
};

/** A copy of a valid event of `type` with its data changed by `change`. */
export function withData<T extends EventType>(type: T, change: (data: Record<string, unknown>) => void): unknown {
  const event = structuredClone(validEvents[type]) as { data: Record<string, unknown> };
  change(event.data);
  return event;
}

/** A change for `withData` that sets fields of the data; `undefined` removes one (after a JSON round trip). */
export const set =
  (fields: Record<string, unknown>) =>
  (data: Record<string, unknown>): void => {
    Object.assign(data, fields);
  };

export interface InvalidCase {
  name: string;
  type: EventType;
  change: (data: Record<string, unknown>) => void;
  /** The reason names the field (its path) and the offending value. */
  reason: RegExp;
}

/** One test per case: the changed event is refused, and the reason matches. */
export function testRejections(cases: readonly InvalidCase[]): void {
  for (const { name, type, change, reason } of cases) {
    test(`rejects ${name}, naming the field and the value`, () => {
      const result = parseEvent(type, JSON.parse(JSON.stringify(withData(type, change))));
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.match(result.reason, new RegExp(`^${type.replace(".", "\\.")} event is invalid: `));
        assert.match(result.reason, reason);
      }
    });
  }
}
