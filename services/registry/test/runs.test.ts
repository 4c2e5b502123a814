import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareRuns, type RunRecord, runParams } from "../src/runs.ts";

function run(fields: Partial<RunRecord>): RunRecord {
  return {
    runId: "r",
    dataset: "weather",
    outcome: "registered",
    version: 1,
    refusalReason: null,
    metrics: {},
    championMetrics: null,
    championVersion: null,
    backend: "cpu",
    codeVersion: "1.0.0",
    specRevision: 3,
    trigger: { reason: "features", eventIds: [] },
    snapshotId: "snap-1",
    batchCount: 4,
    artifactKey: "models/weather/r",
    recordedAt: new Date(0),
    ...fields,
  };
}

describe("compareRuns", () => {
  const cases: { name: string; a: Record<string, number>; b: Record<string, number>; expected: unknown[] }[] = [
    {
      name: "a higher accuracy is better",
      a: { accuracy: 0.7 },
      b: { accuracy: 0.8 },
      expected: ["accuracy", 0.7, 0.8, "b"],
    },
    {
      name: "a lower log_loss is better",
      a: { log_loss: 0.5 },
      b: { log_loss: 0.6 },
      expected: ["log_loss", 0.5, 0.6, "a"],
    },
    { name: "a lower rmse is better", a: { rmse: 2 }, b: { rmse: 1 }, expected: ["rmse", 2, 1, "b"] },
    { name: "equal values are the same", a: { mae: 1 }, b: { mae: 1 }, expected: ["mae", 1, 1, "same"] },
    {
      name: "an unknown metric has no better side",
      a: { custom: 1 },
      b: { custom: 2 },
      expected: ["custom", 1, 2, ""],
    },
    {
      name: "a metric one run lacks has no difference",
      a: { roc_auc: 0.9 },
      b: {},
      expected: ["roc_auc", 0.9, null, ""],
    },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      const [metric] = compareRuns(run({ metrics: testCase.a }), run({ metrics: testCase.b })).metrics;
      assert.deepEqual([metric?.name, metric?.a, metric?.b, metric?.better], testCase.expected);
    });
  }

  it("gives b - a as the difference and lists every metric of either run by name", () => {
    const { metrics } = compareRuns(
      run({ metrics: { b_metric: 1, accuracy: 0.5 } }),
      run({ metrics: { accuracy: 0.75, a_metric: 2 } }),
    );
    assert.deepEqual(
      metrics.map((metric) => [metric.name, metric.difference]),
      [
        ["a_metric", null],
        ["accuracy", 0.25],
        ["b_metric", null],
      ],
    );
  });

  it("marks the parameters that differ", () => {
    const { params } = compareRuns(run({}), run({ backend: "wasm", batchCount: 9 }));
    assert.deepEqual(
      params.filter((param) => param.differs).map((param) => [param.name, param.a, param.b]),
      [
        ["backend", "cpu", "wasm"],
        ["batch_count", "4", "9"],
      ],
    );
    assert.deepEqual(
      Object.keys(runParams(run({}))).sort(),
      params.map((param) => param.name),
    );
  });
});
