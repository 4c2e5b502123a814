import { describe } from "node:test";
import { type InvalidCase, set, testRejections, validEvents } from "./fixtures.ts";

const cases: InvalidCase[] = [
  // model.*
  {
    name: "model.trained with an unknown trigger",
    type: "model.trained",
    change: set({ trigger: { reason: "cron", eventIds: [] } }),
    reason: /data\.trigger\.reason: Invalid option: expected one of "features"\|.*, got "cron"/,
  },
  {
    name: "model.trained with champion metrics but no champion version",
    type: "model.trained",
    change: set({ championVersion: null }),
    reason: /data\.championMetrics: championMetrics and championVersion null: both set or both null/,
  },
  {
    name: "model.trained with a metric that is not a number",
    type: "model.trained",
    change: set({ metrics: { accuracy: "high" } }),
    reason: /data\.metrics\.accuracy: Invalid input: expected number, received string, got "high"/,
  },
  {
    name: "model.trained with an empty data snapshot",
    type: "model.trained",
    change: set({ snapshot: { id: "snap-7", batches: [] } }),
    reason: /data\.snapshot\.batches: Too small: expected array to have >=1 items, got \[\]/,
  },
  {
    name: "model.promoted of version 0",
    type: "model.promoted",
    change: set({ version: 0 }),
    reason: /data\.version: Too small: expected number to be >0, got 0/,
  },
  {
    name: "model.promoted without previousVersion",
    type: "model.promoted",
    change: set({ previousVersion: undefined }),
    reason: /data\.previousVersion: Invalid input: expected number, received undefined/,
  },
  {
    name: "model.rejected with an empty reason",
    type: "model.rejected",
    change: set({ reason: "" }),
    reason: /data\.reason: Too small: expected string to have >=1 characters, got ""/,
  },
  {
    name: "training.progress past its last epoch",
    type: "training.progress",
    change: set({ epoch: 11 }),
    reason: /data\.epoch: epoch 11 is past epochs 10/,
  },
  // monitoring
  {
    name: "predictions.logged by an unknown role",
    type: "predictions.logged",
    change: set({ role: "primary" }),
    reason: /data\.role: Invalid option: expected one of "champion"\|"challenger"\|"shadow"\|"canary", got "primary"/,
  },
  {
    name: "predictions.logged without records",
    type: "predictions.logged",
    change: set({ records: [] }),
    reason: /data\.records: Too small: expected array to have >=1 items, got \[\]/,
  },
  {
    name: "predictions.logged with more than 10000 records",
    type: "predictions.logged",
    change: set({ records: Array(10_001).fill(validEvents["predictions.logged"].data.records[0]) }),
    reason: /data\.records: Too big: expected array to have <=10000 items/,
  },
  {
    name: "predictions.logged with an object as an input value",
    type: "predictions.logged",
    change: (d) => {
      const [record] = d.records as { inputs: Record<string, unknown> }[];
      if (record) record.inputs.temp_max = { value: 18 };
    },
    reason: /data\.records\[0\]\.inputs\.temp_max: Invalid input, got \{"value":18\}/,
  },
  {
    name: "performance.measured of a metric name starting with a digit",
    type: "performance.measured",
    change: set({ metric: "1acc" }),
    reason: /data\.metric: metric "1acc": metric names start with a letter/,
  },
  {
    name: "performance.measured over 1.5 rows",
    type: "performance.measured",
    change: set({ rows: 1.5 }),
    reason: /data\.rows: Invalid input: expected int, received number, got 1\.5/,
  },
  {
    name: "drift.detected with a p-value of 2",
    type: "drift.detected",
    change: (d) => {
      (d.features as { pValue: number }[])[0] = { ...(d.features as object[])[0], pValue: 2 } as { pValue: number };
    },
    reason: /data\.features\[0\]\.pValue: Too big: expected number to be <=1, got 2/,
  },
  {
    name: "drift.detected of performance that used a ks test",
    type: "drift.detected",
    change: set({ kind: "performance" }),
    reason: /data\.features\[0\]\.test: test "ks" on "temp_max": performance drift uses performance/,
  },
  {
    name: "drift.detected with an unknown correction",
    type: "drift.detected",
    change: set({ correction: "holm" }),
    reason: /data\.correction: Invalid option: expected one of "bonferroni"\|"fdr"\|"none", got "holm"/,
  },
  {
    name: "drift.detected without a window",
    type: "drift.detected",
    change: set({ window: undefined }),
    reason: /data\.window: Invalid input: expected object, received undefined/,
  },
];

describe("invalid model and monitoring events", () => testRejections(cases));
