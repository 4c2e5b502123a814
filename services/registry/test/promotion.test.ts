import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decidePromotion, formatNumber, type PromotionInput, type PromotionPolicy } from "../src/promotion.ts";

const accuracyPolicy: PromotionPolicy = {
  metric: "accuracy",
  minImprovement: 0,
  guards: [{ metric: "log_loss", maxDegradation: 0.05 }],
};

function input(overrides: Partial<PromotionInput>): PromotionInput {
  return {
    policy: accuracyPolicy,
    candidate: { accuracy: 0.8, log_loss: 0.61 },
    evaluated: { version: 1, metrics: { accuracy: 0.74, log_loss: 0.63 } },
    champion: 1,
    ...overrides,
  };
}

const cases: { name: string; input: PromotionInput; promote: boolean; reason: string }[] = [
  {
    name: "promotes the first model when there is no champion",
    input: input({ evaluated: null, champion: null }),
    promote: true,
    reason: "promoted: first model, no champion yet; accuracy 0.800",
  },
  {
    name: "promotes a candidate that beats the champion with every guard within bounds",
    input: input({}),
    promote: true,
    reason:
      "promoted: accuracy 0.800 > champion 0.740 (by 0.060, at least 0.000 needed); guard log_loss 0.610 vs 0.630 ok",
  },
  {
    name: "rejects a worse candidate, naming the metric and both values",
    input: input({
      candidate: { accuracy: 0.712, log_loss: 0.6 },
      evaluated: { version: 1, metrics: { accuracy: 0.745 } },
    }),
    promote: false,
    reason: "accuracy 0.712 does not beat champion 0.745 by at least 0.000",
  },
  {
    name: "rejects a tie: equal is no improvement",
    input: input({ candidate: { accuracy: 0.74, log_loss: 0.6 } }),
    promote: false,
    reason: "accuracy 0.740 does not beat champion 0.740 by at least 0.000",
  },
  {
    name: "rejects an improvement smaller than minImprovement",
    input: input({ policy: { ...accuracyPolicy, minImprovement: 0.1 } }),
    promote: false,
    reason: "accuracy 0.800 does not beat champion 0.740 by at least 0.100",
  },
  {
    name: "accepts an improvement of exactly minImprovement despite floating-point error",
    input: input({
      policy: { metric: "accuracy", minImprovement: 0.1, guards: [] },
      candidate: { accuracy: 0.3 },
      evaluated: { version: 1, metrics: { accuracy: 0.2 } },
    }),
    promote: true,
    reason: "promoted: accuracy 0.300 > champion 0.200 (by 0.100, at least 0.100 needed)",
  },
  {
    name: "rejects a candidate whose guard metric worsens by more than maxDegradation",
    input: input({ candidate: { accuracy: 0.8, log_loss: 0.7 } }),
    promote: false,
    reason:
      "accuracy 0.800 > champion 0.740 (by 0.060, at least 0.000 needed), but guard log_loss 0.700 vs champion 0.630 is worse by 0.070, more than the 0.050 allowed",
  },
  {
    name: "lets a guard metric worsen within maxDegradation",
    input: input({ candidate: { accuracy: 0.8, log_loss: 0.67 } }),
    promote: true,
    reason:
      "promoted: accuracy 0.800 > champion 0.740 (by 0.060, at least 0.000 needed); guard log_loss 0.670 vs 0.630 ok",
  },
  {
    name: "treats lower as better for rmse",
    input: input({
      policy: { metric: "rmse", minImprovement: 0, guards: [{ metric: "mae", maxDegradation: 0 }] },
      candidate: { rmse: 1.2, mae: 0.9 },
      evaluated: { version: 1, metrics: { rmse: 1.5, mae: 0.9 } },
    }),
    promote: true,
    reason: "promoted: rmse 1.200 < champion 1.500 (by 0.300, at least 0.000 needed); guard mae 0.900 vs 0.900 ok",
  },
  {
    name: "rejects a higher log_loss, saying lower is better",
    input: input({
      policy: { metric: "log_loss", minImprovement: 0, guards: [] },
      candidate: { log_loss: 0.7 },
      evaluated: { version: 1, metrics: { log_loss: 0.63 } },
    }),
    promote: false,
    reason: "log_loss 0.700 does not beat champion 0.630 by at least 0.000 (lower is better)",
  },
  {
    name: "rejects a candidate without the primary metric, even as the first model",
    input: input({ candidate: { log_loss: 0.5, macro_f1: 0.7 }, evaluated: null, champion: null }),
    promote: false,
    reason: "candidate has no accuracy, the promotion metric (its metrics: log_loss, macro_f1)",
  },
  {
    name: "rejects a candidate without a guard metric",
    input: input({ candidate: { accuracy: 0.9 } }),
    promote: false,
    reason:
      "accuracy 0.900 > champion 0.740 (by 0.160, at least 0.000 needed), but guard log_loss: the candidate has no log_loss",
  },
  {
    name: "skips a guard the champion was not measured on",
    input: input({ evaluated: { version: 1, metrics: { accuracy: 0.74 } } }),
    promote: true,
    reason:
      "promoted: accuracy 0.800 > champion 0.740 (by 0.060, at least 0.000 needed); guard log_loss not measured for the champion, not checked",
  },
  {
    name: "rejects when the champion changed since the trainer evaluated",
    input: input({ champion: 2 }),
    promote: false,
    reason:
      "the trainer compared the candidate with version 1, but version 2 is the champion: not comparable on the same holdout; train again to compare",
  },
  {
    name: "rejects when the trainer found no champion but the registry has one",
    input: input({ evaluated: null, champion: 3 }),
    promote: false,
    reason:
      "the trainer compared the candidate with no champion, but version 3 is the champion: not comparable on the same holdout; train again to compare",
  },
  {
    name: "rejects when the champion's metrics lack the primary metric",
    input: input({ evaluated: { version: 1, metrics: { log_loss: 0.6 } } }),
    promote: false,
    reason: "champion version 1 has no accuracy on the holdout, so the candidate cannot beat it",
  },
  {
    name: "shows more decimals when three would make the values look equal",
    input: input({
      policy: { metric: "accuracy", minImprovement: 0, guards: [] },
      candidate: { accuracy: 0.7449 },
      evaluated: { version: 1, metrics: { accuracy: 0.7451 } },
    }),
    promote: false,
    reason: "accuracy 0.7449 does not beat champion 0.7451 by at least 0.000",
  },
];

describe("decidePromotion", () => {
  for (const testCase of cases) {
    it(testCase.name, () => {
      assert.deepEqual(decidePromotion(testCase.input), { promote: testCase.promote, reason: testCase.reason });
    });
  }
});

describe("formatNumber", () => {
  it("shows policy thresholds with three decimals, or more when they need them", () => {
    assert.deepEqual([0, 0.05, 0.1, 0.0005, 1 / 3].map(formatNumber), [
      "0.000",
      "0.050",
      "0.100",
      "0.0005",
      "0.33333333",
    ]);
  });
});
