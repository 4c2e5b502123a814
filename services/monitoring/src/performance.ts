import { type AnyBundle, evaluateAny, type FeatureRow, higherIsBetter, type MetricName } from "@gyre/model";

export interface PerformanceVerdict {
  /** The worst acceptable value: holdout × (1 − drop) for higher-is-better metrics, holdout × (1 + drop) otherwise. */
  threshold: number;
  drifted: boolean;
}

/**
 * Performance drift when the prequential value is worse than the champion's holdout value by more than the spec's
 * relative drop: below holdout × (1 − drop) for accuracy, macro F1 and ROC AUC; above holdout × (1 + drop) for
 * log loss, RMSE and MAE.
 */
export function performanceVerdict(
  metric: MetricName,
  value: number,
  holdoutValue: number,
  dropThreshold: number,
): PerformanceVerdict {
  if (higherIsBetter(metric)) {
    const threshold = holdoutValue * (1 - dropThreshold);
    return { threshold, drifted: value < threshold };
  }
  const threshold = holdoutValue * (1 + dropThreshold);
  return { threshold, drifted: value > threshold };
}

export interface PrequentialScore {
  metric: MetricName;
  value: number;
  /** The metric on the champion's holdout when it was trained (its metadata). */
  holdoutValue: number;
  /** Labelled rows scored. */
  rows: number;
}

/** Why a labelled batch got no score. */
export type NoScore = { skipped: "no-labelled-rows" | "metric-undefined" | "no-holdout-metric"; rows: number };

/**
 * Test before train: the champion's metric on the batch's labelled rows (rows without a label are left out).
 * A metric can be undefined on a batch (ROC AUC with one class only), and an old champion may lack it.
 */
export async function scoreBatch(
  champion: AnyBundle,
  rows: readonly FeatureRow[],
  metric: MetricName,
): Promise<PrequentialScore | NoScore> {
  const label = champion.preprocessing.label.name;
  const labelled = rows.filter((row) => row[label] !== null && row[label] !== undefined);
  if (labelled.length === 0) return { skipped: "no-labelled-rows", rows: 0 };
  const holdoutValue = champion.metadata.metrics[metric];
  if (holdoutValue === undefined) return { skipped: "no-holdout-metric", rows: labelled.length };
  const evaluation = await evaluateAny(champion, labelled);
  const value = evaluation.metrics[metric];
  if (value === undefined || !Number.isFinite(value)) return { skipped: "metric-undefined", rows: labelled.length };
  return { metric, value, holdoutValue, rows: evaluation.rows };
}
