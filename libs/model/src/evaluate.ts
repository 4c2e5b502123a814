import { type ModelBundle, type Predictions, predict } from "./bundle.ts";
import { TrainingInputError } from "./errors.ts";
import { type EncodedLabels, encodeLabels, type LabelTarget, UNKNOWN_CLASS } from "./labels.ts";
import { classificationMetrics, type ModelMetrics, regressionMetrics } from "./metrics.ts";
import type { FeatureRow } from "./preprocessing.ts";

export interface Evaluation {
  metrics: ModelMetrics;
  /** Holdout rows with a label, which the metrics are over. */
  rows: number;
  /** Of those, rows whose class the model does not know (a class added to the spec after it was trained). */
  unknownClass: number;
}

/**
 * Scores a bundle on holdout rows through its own preprocessing: the candidate and the current champion are
 * both evaluated with this on the same rows, so the registry compares like with like. Rows without a label
 * are left out; a class the model does not know counts as a wrong prediction with probability 0.
 */
export function evaluate(bundle: ModelBundle, holdoutRows: readonly FeatureRow[]): Evaluation {
  const holdout = labelledHoldout(bundle.preprocessing.label, holdoutRows);
  return evaluationOf(holdout, predict(bundle, holdout.rows));
}

/** The holdout rows with a label, and their encoded labels; throws when none has one. */
export function labelledHoldout(
  label: LabelTarget,
  holdoutRows: readonly FeatureRow[],
): { labels: EncodedLabels; rows: readonly FeatureRow[] } {
  const labels = encodeLabels(label, holdoutRows, false);
  if (labels.rows.length === 0) {
    throw new TrainingInputError(
      "no-holdout-rows",
      holdoutRows.length,
      `the holdout has no rows with a label "${label.name}" (${holdoutRows.length} rows): nothing to evaluate on`,
    );
  }
  const rows =
    labels.rows.length === holdoutRows.length
      ? holdoutRows
      : labels.rows.map((index) => holdoutRows[index] as FeatureRow);
  return { labels, rows };
}

/** The metrics of a model's predictions on labelledHoldout's rows. */
export function evaluationOf(
  holdout: { labels: EncodedLabels; rows: readonly FeatureRow[] },
  predictions: Predictions,
): Evaluation {
  const { labels, rows } = holdout;
  if (predictions.kind === "regression") {
    return { metrics: regressionMetrics(labels.targets, predictions.values), rows: rows.length, unknownClass: 0 };
  }
  const unknownClass = labels.targets.filter((target) => target === UNKNOWN_CLASS).length;
  return {
    metrics: classificationMetrics(labels.targets, predictions.probabilities, predictions.classes.length),
    rows: rows.length,
    unknownClass,
  };
}
