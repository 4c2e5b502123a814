import { alignCategories, type CategoryCounts } from "./categoryCounts.ts";
import { countByCuts, DEFAULT_QUANTILE_BINS, referenceQuantileCuts } from "./quantileBins.ts";

/** Share given to an empty bin so that ln(r/c) stays finite; the value Evidently uses. */
export const PSI_EMPTY_BIN_SHARE = 1e-4;

/**
 * Population Stability Index over matching bins: Σ (rᵢ − cᵢ) · ln(rᵢ / cᵢ), where rᵢ and cᵢ are the shares of
 * the reference and current counts in bin i. A share of exactly zero is replaced by `emptyBinShare` (1e-4 by
 * default) without renormalising the others, as Evidently does. Natural logarithm. Rules of thumb: < 0.1 stable,
 * 0.1–0.25 moderate shift, > 0.25 major shift.
 */
export function populationStabilityIndex(
  referenceCounts: readonly number[],
  currentCounts: readonly number[],
  emptyBinShare = PSI_EMPTY_BIN_SHARE,
): number {
  if (referenceCounts.length !== currentCounts.length || referenceCounts.length === 0) {
    throw new RangeError(
      `PSI: reference has ${referenceCounts.length} bins and current ${currentCounts.length}; they need the same bins, at least one`,
    );
  }
  const referenceShares = shares(referenceCounts, "reference", emptyBinShare);
  const currentShares = shares(currentCounts, "current", emptyBinShare);
  let index = 0;
  referenceShares.forEach((r, bin) => {
    const c = currentShares[bin] as number;
    index += (r - c) * Math.log(r / c);
  });
  return index;
}

/** PSI of a numeric feature over the reference's quantile bins (10 by default). */
export function numericPsi(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  options: { bins?: number; emptyBinShare?: number } = {},
): number {
  const cuts = referenceQuantileCuts(reference, options.bins ?? DEFAULT_QUANTILE_BINS);
  return populationStabilityIndex(
    countByCuts(reference, cuts, "reference"),
    countByCuts(current, cuts, "current"),
    options.emptyBinShare,
  );
}

/** PSI of a categorical feature over the categories seen in either sample. */
export function categoricalPsi(
  reference: CategoryCounts,
  current: CategoryCounts,
  options: { emptyBinShare?: number } = {},
): number {
  const table = alignCategories(reference, current);
  return populationStabilityIndex(table.reference, table.current, options.emptyBinShare);
}

function shares(counts: readonly number[], what: string, emptyBinShare: number): number[] {
  let total = 0;
  for (const count of counts) {
    if (!(Number.isFinite(count) && count >= 0)) throw new RangeError(`PSI: ${what} count ${count}; counts are ≥ 0`);
    total += count;
  }
  if (total === 0) throw new RangeError(`PSI: the ${what} counts sum to zero; it needs at least one value`);
  return counts.map((count) => (count === 0 ? emptyBinShare : count / total));
}
