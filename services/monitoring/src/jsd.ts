import { alignCategories, type CategoryCounts } from "./categoryCounts.ts";
import { countByCuts, DEFAULT_QUANTILE_BINS, referenceQuantileCuts } from "./quantileBins.ts";

/**
 * Jensen–Shannon distance between two distributions over the same bins, in base 2 so it lies in [0, 1]:
 * √(½ KL(p‖m) + ½ KL(q‖m)) with m = (p + q)/2, after normalising p and q to sum to one (counts are fine).
 * Matches scipy.spatial.distance.jensenshannon(p, q, base=2). Empty bins need no smoothing: 0·ln 0 = 0.
 */
export function jensenShannonDistance(p: readonly number[], q: readonly number[]): number {
  if (p.length !== q.length || p.length === 0) {
    throw new RangeError(
      `Jensen–Shannon: p has ${p.length} bins and q ${q.length}; they need the same bins, at least one`,
    );
  }
  const pTotal = total(p, "p");
  const qTotal = total(q, "q");
  let divergence = 0;
  p.forEach((pCount, bin) => {
    const pShare = pCount / pTotal;
    const qShare = (q[bin] as number) / qTotal;
    const middle = (pShare + qShare) / 2;
    if (pShare > 0) divergence += pShare * Math.log(pShare / middle);
    if (qShare > 0) divergence += qShare * Math.log(qShare / middle);
  });
  // Rounding can leave a hair below zero for identical distributions.
  return Math.sqrt(Math.max(divergence / Math.LN2 / 2, 0));
}

/** Jensen–Shannon distance of a numeric feature over the reference's quantile bins (the bins PSI uses). */
export function numericJensenShannon(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  options: { bins?: number } = {},
): number {
  const cuts = referenceQuantileCuts(reference, options.bins ?? DEFAULT_QUANTILE_BINS);
  return jensenShannonDistance(countByCuts(reference, cuts, "reference"), countByCuts(current, cuts, "current"));
}

/** Jensen–Shannon distance of a categorical feature over the categories seen in either sample. */
export function categoricalJensenShannon(reference: CategoryCounts, current: CategoryCounts): number {
  const table = alignCategories(reference, current);
  return jensenShannonDistance(table.reference, table.current);
}

function total(counts: readonly number[], what: string): number {
  let sum = 0;
  for (const count of counts) {
    if (!(Number.isFinite(count) && count >= 0))
      throw new RangeError(`Jensen–Shannon: ${what} has weight ${count}; weights are ≥ 0`);
    sum += count;
  }
  if (sum === 0) throw new RangeError(`Jensen–Shannon: the weights of ${what} sum to zero`);
  return sum;
}
