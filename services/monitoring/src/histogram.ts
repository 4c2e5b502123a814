import { alignCategories, type CategoryCounts } from "./categoryCounts.ts";
import { countAtMost, countBelow, sortedSample } from "./numericSample.ts";

export const DEFAULT_HISTOGRAM_BINS = 20;

export interface SampleHistogram {
  counts: number[];
  /** counts / sample size: comparable between samples of different sizes. */
  shares: number[];
}

export interface NumericHistograms {
  /** bins + 1 ascending edges shared by both samples. */
  edges: number[];
  reference: SampleHistogram;
  current: SampleHistogram;
}

export interface CategoricalHistograms {
  categories: string[];
  reference: SampleHistogram;
  current: SampleHistogram;
}

/**
 * Equal-width edges over the range of both samples together, so reference and current are drawn on the same
 * bins: numpy.histogram_bin_edges(concatenate([reference, current]), bins). A constant sample gets the range
 * value ± 0.5, as numpy does.
 */
export function sharedBinEdges(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  bins = DEFAULT_HISTOGRAM_BINS,
): number[] {
  if (!(Number.isInteger(bins) && bins >= 1)) throw new RangeError(`histogram bins: ${bins}; use an integer ≥ 1`);
  const a = sortedSample(reference, "reference");
  const b = sortedSample(current, "current");
  let first = Math.min(a[0] as number, b[0] as number);
  let last = Math.max(a[a.length - 1] as number, b[b.length - 1] as number);
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const step = (last - first) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => i * step + first);
  edges[bins] = last;
  return edges;
}

/**
 * Counts per bin as numpy.histogram(values, edges): bins are [eᵢ, eᵢ₊₁) except the last, which is closed;
 * values outside [e₀, e_last] are not counted. Shares divide by the whole sample size.
 */
export function histogram(values: ArrayLike<number>, edges: readonly number[], what: string): SampleHistogram {
  const sorted = sortedSample(values, what);
  const counts: number[] = [];
  for (let bin = 0; bin + 1 < edges.length; bin++) {
    const low = edges[bin] as number;
    const high = edges[bin + 1] as number;
    const isLast = bin + 2 === edges.length;
    counts.push((isLast ? countAtMost(sorted, high) : countBelow(sorted, high)) - countBelow(sorted, low));
  }
  return { counts, shares: counts.map((count) => count / sorted.length) };
}

/** Reference and current histograms of a numeric feature on shared equal-width bins. */
export function numericHistograms(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  bins = DEFAULT_HISTOGRAM_BINS,
): NumericHistograms {
  const edges = sharedBinEdges(reference, current, bins);
  return { edges, reference: histogram(reference, edges, "reference"), current: histogram(current, edges, "current") };
}

/** Reference and current counts and shares of a categorical feature over the union of its categories. */
export function categoricalHistograms(reference: CategoryCounts, current: CategoryCounts): CategoricalHistograms {
  const table = alignCategories(reference, current);
  return {
    categories: table.categories,
    reference: withShares(table.reference),
    current: withShares(table.current),
  };
}

function withShares(counts: number[]): SampleHistogram {
  const total = counts.reduce((sum, count) => sum + count, 0);
  return { counts, shares: counts.map((count) => (total === 0 ? 0 : count / total)) };
}
