import { countBelow, quantileOfSorted, sortedSample } from "./numericSample.ts";

export const DEFAULT_QUANTILE_BINS = 10;

/**
 * Bins for comparing a numeric feature with its reference: the cut points are the reference's quantiles at
 * 1/bins, 2/bins, …, (bins−1)/bins (numpy.quantile, linear), duplicates removed, so each bin holds about the same
 * share of the reference. The outer bins are open (−∞, c₁) and [c_last, +∞), so current values outside the
 * reference's range still land in a bin; a value equal to a cut point belongs to the bin above it.
 * Repeated values can merge bins: a constant reference gives a single cut point and two bins.
 */
export function referenceQuantileCuts(reference: ArrayLike<number>, bins = DEFAULT_QUANTILE_BINS): number[] {
  if (!(Number.isInteger(bins) && bins >= 2)) throw new RangeError(`quantile bins: ${bins}; use an integer ≥ 2`);
  const sorted = sortedSample(reference, "reference");
  const cuts: number[] = [];
  for (let i = 1; i < bins; i++) {
    const cut = quantileOfSorted(sorted, i / bins);
    if (cuts.length === 0 || cut > (cuts[cuts.length - 1] as number)) cuts.push(cut);
  }
  return cuts;
}

/** Counts per bin for ascending `cuts`: bin i holds cuts[i−1] ≤ x < cuts[i] (numpy.searchsorted, side="right"). */
export function countByCuts(values: ArrayLike<number>, cuts: readonly number[], what: string): number[] {
  const sorted = sortedSample(values, what);
  const counts: number[] = [];
  let below = 0;
  for (const cut of cuts) {
    const belowCut = countBelow(sorted, cut);
    counts.push(belowCut - below);
    below = belowCut;
  }
  counts.push(sorted.length - below);
  return counts;
}
