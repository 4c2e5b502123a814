import { adjustPValues, type Correction, rawPValueThreshold } from "./correction.ts";

export type DriftRule = "both" | "p-value" | "effect-size";
export type EffectMeasure = "wasserstein" | "psi";
/** What crossed its threshold: the test's p-value, or an effect size. */
export type DriftSignal = "p-value" | EffectMeasure;

export interface DriftPolicy {
  /** Significance level α, before correction. */
  pValue: number;
  correction: Correction;
  /** Dataset drift when at least this share of the tested features drifted. */
  shareThreshold: number;
  /** What marks a feature drifted; "p-value" when unset. */
  rule?: DriftRule;
  /** Effect-size thresholds (normalised Wasserstein, PSI) and per-feature replacements. */
  wassersteinThreshold?: number;
  psiThreshold?: number;
  featureThresholds?: Record<string, { wasserstein?: number | undefined; psi?: number | undefined }>;
}

/** A feature's effect size: how far its distribution moved, whatever the window's size. */
export interface EffectSize {
  measure: EffectMeasure;
  value: number;
}

export type FeatureVerdict<Result> = Result & {
  /** The p-value after the correction (Bonferroni or Benjamini–Hochberg), comparable with α. */
  adjustedPValue: number;
  /** The threshold on the raw p-value the correction amounts to; the p-value fired ⇔ pValue ≤ threshold. */
  threshold: number;
  /** The threshold its effect size was compared with; null without an effect size. */
  effectThreshold: number | null;
  /** The rule that decided, and the signals that crossed their thresholds (whether or not the rule needed them). */
  rule: DriftRule;
  firedBy: DriftSignal[];
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
 * (Bonferroni, Benjamini–Hochberg FDR, or none); a feature's p-value fires when its raw p-value is ≤ the corrected
 * threshold, which is statsmodels' multipletests reject rule (equivalently, adjusted p ≤ α). Its effect size fires
 * when it reaches the feature's threshold. The rule says which must fire: both, the p-value, or the effect size.
 * The dataset drifted when the share of drifted features reaches `shareThreshold`.
 */
export function driftDecision<Result extends { name: string; pValue: number; effect?: EffectSize }>(
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
  const rule = policy.rule ?? "p-value";
  const features = results.map((result, index) => {
    const effectThreshold = result.effect ? effectThresholdOf(policy, result.name, result.effect.measure) : null;
    const firedBy: DriftSignal[] = [];
    if (result.pValue <= threshold) firedBy.push("p-value");
    if (result.effect && effectThreshold !== null && result.effect.value >= effectThreshold) {
      firedBy.push(result.effect.measure);
    }
    return {
      ...result,
      adjustedPValue: adjusted[index] as number,
      threshold,
      effectThreshold,
      rule,
      firedBy,
      drifted: ruleHolds(rule, firedBy),
    };
  });
  const driftedFeatures = features.filter((feature) => feature.drifted).map((feature) => feature.name);
  const share = results.length === 0 ? 0 : driftedFeatures.length / results.length;
  return { features, driftedFeatures, share, datasetDrift: results.length > 0 && share >= policy.shareThreshold };
}

/** The feature's own threshold for the measure, else the policy's (normalised Wasserstein 0.1, PSI 0.2 when unset). */
export function effectThresholdOf(policy: DriftPolicy, feature: string, measure: EffectMeasure): number {
  const own = policy.featureThresholds?.[feature]?.[measure];
  if (own !== undefined) return own;
  return measure === "wasserstein" ? (policy.wassersteinThreshold ?? 0.1) : (policy.psiThreshold ?? 0.2);
}

function ruleHolds(rule: DriftRule, firedBy: readonly DriftSignal[]): boolean {
  const pFired = firedBy.includes("p-value");
  const effectFired = firedBy.some((signal) => signal !== "p-value");
  if (rule === "p-value") return pFired;
  if (rule === "effect-size") return effectFired;
  return pFired && effectFired;
}
