import { alignCategories, type CategoryCounts } from "./categoryCounts.ts";
import { chiSquareHomogeneity } from "./chi2.ts";
import type { EffectSize } from "./driftDecision.ts";
import { jensenShannonDistance } from "./jsd.ts";
import { type KsMethod, ksTwoSample } from "./ks.ts";
import { populationStabilityIndex } from "./psi.ts";
import { countByCuts, DEFAULT_QUANTILE_BINS, referenceQuantileCuts } from "./quantileBins.ts";
import { normalisedWasserstein } from "./wasserstein.ts";

/** One feature's comparison of reference and current: the hypothesis test, with PSI and JS distance beside it. */
export interface FeatureTestResult {
  name: string;
  test: "ks" | "chi2";
  statistic: number;
  pValue: number;
  psi: number;
  /** Jensen–Shannon distance, base 2, in [0, 1]. */
  jsd: number;
  /** Normalised Wasserstein distance for numeric features, PSI for categorical ones. */
  effect: EffectSize;
}

/** Numeric feature: two-sample KS; PSI and JS distance over the reference's quantile bins. */
export function numericFeatureTest(
  name: string,
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  options: { bins?: number; method?: KsMethod } = {},
): FeatureTestResult {
  const ks = ksTwoSample(reference, current, options.method ? { method: options.method } : {});
  const cuts = referenceQuantileCuts(reference, options.bins ?? DEFAULT_QUANTILE_BINS);
  const referenceCounts = countByCuts(reference, cuts, "reference");
  const currentCounts = countByCuts(current, cuts, "current");
  return {
    name,
    test: "ks",
    statistic: ks.statistic,
    pValue: ks.pValue,
    psi: populationStabilityIndex(referenceCounts, currentCounts),
    jsd: jensenShannonDistance(referenceCounts, currentCounts),
    effect: { measure: "wasserstein", value: normalisedWasserstein(reference, current) },
  };
}

/** Categorical feature: chi-square homogeneity; PSI and JS distance over the union of categories. */
export function categoricalFeatureTest(
  name: string,
  reference: CategoryCounts,
  current: CategoryCounts,
): FeatureTestResult {
  const chi2 = chiSquareHomogeneity(reference, current);
  const table = alignCategories(reference, current);
  const psi = populationStabilityIndex(table.reference, table.current);
  return {
    name,
    test: "chi2",
    statistic: chi2.statistic,
    pValue: chi2.pValue,
    psi,
    jsd: jensenShannonDistance(table.reference, table.current),
    effect: { measure: "psi", value: psi },
  };
}
