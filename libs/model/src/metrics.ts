/**
 * Holdout metrics, named as in the spec's promotion policy. Pure functions on arrays.
 *
 * Classifier inputs: `labels` hold class indices (-1 for a class the model does not know, which is always
 * wrong), `probabilities` are row-major [N, classCount].
 */

export type ClassificationMetricName = "accuracy" | "log_loss" | "macro_f1" | "roc_auc";
export type RegressionMetricName = "rmse" | "mae";
export type MetricName = ClassificationMetricName | RegressionMetricName;

/** roc_auc only for two classes, and only when the holdout holds both. */
export type ClassificationMetrics = { accuracy: number; log_loss: number; macro_f1: number; roc_auc?: number };
export type RegressionMetrics = { rmse: number; mae: number };
export type ModelMetrics = Partial<Record<MetricName, number>>;

/** Probabilities are clipped to [EPSILON, 1 − EPSILON] before the log, as scikit-learn does. */
export const LOG_LOSS_EPSILON = 1e-15;

/** Higher is better for these; lower for log_loss, rmse and mae. */
export function higherIsBetter(metric: MetricName): boolean {
  return metric === "accuracy" || metric === "macro_f1" || metric === "roc_auc";
}

export function classificationMetrics(
  labels: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  classCount: number,
): ClassificationMetrics {
  const predicted = predictedClasses(probabilities, classCount);
  const metrics: ClassificationMetrics = {
    accuracy: accuracy(labels, predicted),
    log_loss: logLoss(labels, probabilities, classCount),
    macro_f1: macroF1(labels, predicted, classCount),
  };
  if (classCount === 2) {
    const known = Array.from(labels, (_, index) => index).filter((index) => (labels[index] as number) >= 0);
    const auc = rocAuc(
      known.map((index) => labels[index] as number),
      known.map((index) => probabilities[index * 2 + 1] as number),
    );
    if (auc !== null) metrics.roc_auc = auc;
  }
  return metrics;
}

export function regressionMetrics(actual: ArrayLike<number>, predicted: ArrayLike<number>): RegressionMetrics {
  return { rmse: rmse(actual, predicted), mae: mae(actual, predicted) };
}

/** The most probable class per row; the first one on a tie. */
export function predictedClasses(probabilities: ArrayLike<number>, classCount: number): Int32Array {
  const rows = probabilities.length / classCount;
  const predicted = new Int32Array(rows);
  for (let row = 0; row < rows; row++) {
    let best = 0;
    for (let c = 1; c < classCount; c++) {
      if ((probabilities[row * classCount + c] as number) > (probabilities[row * classCount + best] as number))
        best = c;
    }
    predicted[row] = best;
  }
  return predicted;
}

export function accuracy(labels: ArrayLike<number>, predicted: ArrayLike<number>): number {
  requireRows(labels, predicted);
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === predicted[i]) correct += 1;
  return correct / labels.length;
}

/** Mean of −ln p(true class). */
export function logLoss(labels: ArrayLike<number>, probabilities: ArrayLike<number>, classCount: number): number {
  requireRows(labels, { length: probabilities.length / classCount });
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as number;
    const p = label >= 0 ? (probabilities[i * classCount + label] as number) : 0;
    total -= Math.log(Math.min(Math.max(p, LOG_LOSS_EPSILON), 1 - LOG_LOSS_EPSILON));
  }
  return total / labels.length;
}

/**
 * Unweighted mean of per-class F1 = 2TP / (2TP + FP + FN), over the classes that occur in the labels or the
 * predictions (scikit-learn's default label set); a class that is never predicted correctly scores 0.
 */
export function macroF1(labels: ArrayLike<number>, predicted: ArrayLike<number>, classCount: number): number {
  requireRows(labels, predicted);
  const truePositives = new Float64Array(classCount);
  const falsePositives = new Float64Array(classCount);
  const falseNegatives = new Float64Array(classCount);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as number;
    const guess = predicted[i] as number;
    if (label === guess) {
      truePositives[label] = (truePositives[label] as number) + 1;
      continue;
    }
    falsePositives[guess] = (falsePositives[guess] as number) + 1;
    if (label >= 0) falseNegatives[label] = (falseNegatives[label] as number) + 1;
  }
  let sum = 0;
  let counted = 0;
  for (let c = 0; c < classCount; c++) {
    const tp = truePositives[c] as number;
    const denominator = 2 * tp + (falsePositives[c] as number) + (falseNegatives[c] as number);
    if (denominator === 0) continue;
    sum += (2 * tp) / denominator;
    counted += 1;
  }
  return counted === 0 ? 0 : sum / counted;
}

/**
 * Area under the ROC curve for labels 0/1 and scores of class 1, by ranks (Mann–Whitney U); tied scores get
 * their average rank, so a tie counts half. null when the labels hold only one class.
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number | null {
  requireRows(labels, scores);
  const order = Array.from(scores, (_, index) => index).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && scores[order[end] as number] === scores[order[start] as number]) end += 1;
    const averageRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) {
      if (labels[order[k] as number] === 1) {
        positives += 1;
        positiveRankSum += averageRank;
      }
    }
    start = end;
  }
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export function rmse(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  requireRows(actual, predicted);
  let total = 0;
  for (let i = 0; i < actual.length; i++) total += ((actual[i] as number) - (predicted[i] as number)) ** 2;
  return Math.sqrt(total / actual.length);
}

export function mae(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  requireRows(actual, predicted);
  let total = 0;
  for (let i = 0; i < actual.length; i++) total += Math.abs((actual[i] as number) - (predicted[i] as number));
  return total / actual.length;
}

function requireRows(a: ArrayLike<unknown>, b: ArrayLike<unknown>): void {
  if (a.length !== b.length) throw new RangeError(`metric inputs differ in length: ${a.length} and ${b.length}`);
  if (a.length === 0) throw new RangeError("a metric needs at least one row");
}
