import { adjustPValues, type Correction, rawPValueThreshold } from "./correction.ts";

export interface DriftPolicy {
  /** Significance level α, before correction. */
  pValue: number;
  correction: Correction;
  /** Dataset drift when at least this share of the tested features drifted. */
  shareThreshold: number;
}

export type FeatureVerdict<Result> = Result & {
  /** The p-value after the correction (Bonferroni or Benjamini–Hochberg), comparable with α. */
  adjustedPValue: number;
  /** The threshold on the raw p-value the correction amounts to; drifted ⇔ pValue ≤ threshold. */
  threshold: number;
  drifted: boolean;
};

export interface DriftDecision<Result> {
  features: FeatureVerdict<Result>[];
  driftedFeatures: string[];
  /** Share of the tested features that drifted; 0 when none were tested. */
  share: number;
  datasetDrift: boolean;
}

/**
 * Which features drifted, and whether the dataset did. The level α is corrected for the number of features tested
 * (Bonferroni, Benjamini–Hochberg FDR, or none); a feature drifted when its raw p-value is ≤ the corrected
 * threshold, which is statsmodels' multipletests reject rule (equivalently, adjusted p ≤ α). The dataset drifted
 * when the share of drifted features reaches `shareThreshold`.
 */
export function driftDecision<Result extends { name: string; pValue: number }>(
  results: readonly Result[],
  policy: DriftPolicy,
): DriftDecision<Result> {
  if (!(policy.pValue > 0 && policy.pValue < 1))
    throw new RangeError(`drift policy: pValue ${policy.pValue}; use 0 < α < 1`);
  if (!(policy.shareThreshold > 0 && policy.shareThreshold <= 1)) {
    throw new RangeError(`drift policy: shareThreshold ${policy.shareThreshold}; use a share in (0, 1]`);
  }
  const pValues = results.map((result) => result.pValue);
  const adjusted = adjustPValues(pValues, policy.correction);
  const threshold = rawPValueThreshold(pValues, policy.pValue, policy.correction);
  const features = results.map((result, index) => ({
    ...result,
    adjustedPValue: adjusted[index] as number,
    threshold,
    drifted: result.pValue <= threshold,
  }));
  const driftedFeatures = features.filter((feature) => feature.drifted).map((feature) => feature.name);
  const share = results.length === 0 ? 0 : driftedFeatures.length / results.length;
  return { features, driftedFeatures, share, datasetDrift: results.length > 0 && share >= policy.shareThreshold };
}
