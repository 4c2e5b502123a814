import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  accuracy,
  classificationMetrics,
  LOG_LOSS_EPSILON,
  logLoss,
  macroF1,
  mae,
  predictedClasses,
  regressionMetrics,
  rmse,
  rocAuc,
} from "@gyre/model";

const close = (actual: number | null | undefined, expected: number, tolerance = 1e-12) =>
  assert.ok(
    actual !== null && actual !== undefined && Math.abs(actual - expected) <= tolerance,
    `${actual} is not within ${tolerance} of ${expected}`,
  );

/** AUC by its definition: the share of (positive, negative) pairs ranked correctly, ties counting half. O(n²). */
function pairwiseAuc(labels: number[], scores: number[]): number {
  let wins = 0;
  let pairs = 0;
  labels.forEach((label, i) => {
    if (label !== 1) return;
    labels.forEach((other, j) => {
      if (other !== 0) return;
      pairs += 1;
      const [p, n] = [scores[i] as number, scores[j] as number];
      wins += p > n ? 1 : p === n ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

describe("classification metrics", () => {
  // Three classes, six rows. Worked by hand:
  //   predicted (argmax): 0, 1, 1, 2, 2, 0   labels: 0, 1, 2, 2, 1, 0  → 4 of 6 right.
  //   class 0: TP 2, FP 0, FN 0 → F1 1;  class 1: TP 1, FP 1, FN 1 → 0.5;  class 2: TP 1, FP 1, FN 1 → 0.5.
  //   log loss = −(ln .7 + ln .6 + ln .3 + ln .8 + ln .3 + ln .5) / 6.
  const labels = [0, 1, 2, 2, 1, 0];
  const probabilities = [
    [0.7, 0.2, 0.1],
    [0.2, 0.6, 0.2],
    [0.1, 0.6, 0.3],
    [0.1, 0.1, 0.8],
    [0.1, 0.3, 0.6],
    [0.5, 0.4, 0.1],
  ].flat();

  const cases = [
    { name: "accuracy", actual: () => accuracy(labels, predictedClasses(probabilities, 3)), expected: 4 / 6 },
    {
      name: "macro F1",
      actual: () => macroF1(labels, predictedClasses(probabilities, 3), 3),
      expected: (1 + 0.5 + 0.5) / 3,
    },
    {
      name: "log loss",
      actual: () => logLoss(labels, probabilities, 3),
      expected: 0.6986228180384585, // −(ln .7 + ln .6 + ln .3 + ln .8 + ln .3 + ln .5) / 6, with Python math.log
    },
  ];
  for (const { name, actual, expected } of cases) {
    test(`${name} of a hand-worked three-class example is ${expected.toFixed(6)}`, () => close(actual(), expected));
  }

  test("the log loss constant agrees with the sum written out", () => {
    const written =
      -(Math.log(0.7) + Math.log(0.6) + Math.log(0.3) + Math.log(0.8) + Math.log(0.3) + Math.log(0.5)) / 6;
    close(logLoss(labels, probabilities, 3), written);
  });

  test("log loss clips a zero probability of the true class to 1e-15", () => {
    close(logLoss([1], [1, 0], 2), -Math.log(LOG_LOSS_EPSILON));
    close(logLoss([0], [1, 0], 2), -Math.log(1 - LOG_LOSS_EPSILON));
  });

  test("macro F1 averages only the classes that occur in labels or predictions", () => {
    // Class 2 of 3 never occurs. Class 0: TP 1, FP 1, FN 1 → 0.5; class 1: TP 0 → 0. Mean 0.25, not 0.5 / 3.
    close(macroF1([0, 0, 1], [0, 1, 0], 3), 0.25);
  });

  test("a label the model does not know (-1) is always wrong and costs the clipped log loss", () => {
    close(accuracy([-1, 0], [0, 0]), 0.5);
    close(logLoss([-1], [0.5, 0.5], 2), -Math.log(LOG_LOSS_EPSILON));
    // Predicted 0 for the unknown row: a false positive of class 0 → F1(0) = 2/(2+1) .
    close(macroF1([-1, 0], [0, 0], 2), 2 / 3);
  });

  test("argmax breaks a tie towards the first class", () => {
    assert.deepEqual(Array.from(predictedClasses([0.5, 0.5, 0.2, 0.2, 0.4, 0.4], 3)), [0, 1]);
  });

  test("roc_auc is reported for two classes only", () => {
    assert.equal(classificationMetrics(labels, probabilities, 3).roc_auc, undefined);
    // Scores of class 1: .1, .8, .3, .6. Pairs (p, n): (.8,.1) ✓ (.8,.6) ✓ (.3,.1) ✓ (.3,.6) ✗ → 3/4.
    const binary = classificationMetrics([0, 1, 1, 0], [0.9, 0.1, 0.2, 0.8, 0.7, 0.3, 0.4, 0.6], 2);
    close(binary.roc_auc, 0.75);
    close(binary.accuracy, 0.5);
  });

  test("metrics of empty or mismatched inputs throw instead of returning NaN", () => {
    assert.throws(() => accuracy([], []), /at least one row/);
    assert.throws(() => rmse([1, 2], [1]), /differ in length: 2 and 1/);
  });
});

describe("ROC AUC", () => {
  const cases: { name: string; labels: number[]; scores: number[]; expected: number | null }[] = [
    { name: "perfect ranking", labels: [0, 0, 1, 1], scores: [0.1, 0.2, 0.8, 0.9], expected: 1 },
    { name: "reversed ranking", labels: [1, 1, 0, 0], scores: [0.1, 0.2, 0.8, 0.9], expected: 0 },
    // Pairs (p, n): (.35,.1) ✓ (.35,.4) ✗ (.8,.1) ✓ (.8,.4) ✓ → 3/4 (scikit-learn's roc_auc_score example).
    { name: "scikit-learn's four-point example", labels: [0, 0, 1, 1], scores: [0.1, 0.4, 0.35, 0.8], expected: 0.75 },
    // Every score tied: each pair counts half.
    { name: "all scores tied", labels: [0, 1, 0, 1, 1], scores: [0.5, 0.5, 0.5, 0.5, 0.5], expected: 0.5 },
    // Pairs: (.5,.2) ✓ (.5,.5) ½ (.9,.2) ✓ (.9,.5) ✓ → 3.5/4.
    { name: "a tie across classes", labels: [0, 1, 0, 1], scores: [0.2, 0.5, 0.5, 0.9], expected: 0.875 },
    { name: "one class only", labels: [1, 1, 1], scores: [0.2, 0.5, 0.9], expected: null },
  ];
  for (const { name, labels, scores, expected } of cases) {
    test(`${name}: ${expected}`, () => {
      const auc = rocAuc(labels, scores);
      if (expected === null) assert.equal(auc, null);
      else close(auc, expected);
    });
  }

  test("the rank formula agrees with counting pairs on 200 seeded rows with ties", () => {
    let state = 7;
    const next = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    const labels = Array.from({ length: 200 }, () => (next() < 0.4 ? 1 : 0));
    // Scores rounded to one decimal, so many ties; correlated with the label.
    const scores = labels.map((label) => Math.round((next() + label * 0.5) * 10) / 10);
    close(rocAuc(labels, scores), pairwiseAuc(labels, scores), 1e-12);
  });
});

describe("regression metrics", () => {
  // Errors: −0.5, 0, 1.5, −1 → squares .25, 0, 2.25, 1 → mean .875; absolutes .5, 0, 1.5, 1 → mean .75.
  const actual = [3, -0.5, 2, 7];
  const predicted = [2.5, -0.5, 3.5, 6];

  test("RMSE of a hand-worked example is √0.875", () => close(rmse(actual, predicted), Math.sqrt(0.875)));
  test("MAE of a hand-worked example is 0.75", () => close(mae(actual, predicted), 0.75));
  test("a perfect prediction scores zero on both", () => {
    assert.deepEqual(regressionMetrics([1, 2, 3], [1, 2, 3]), { rmse: 0, mae: 0 });
  });
  test("RMSE agrees with scikit-learn's mean_squared_error example (MSE 0.375)", () => {
    close(rmse([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]), Math.sqrt(0.375));
  });
});
