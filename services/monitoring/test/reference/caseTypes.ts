/**
 * Shapes of the reference cases that generate.py writes. A sample is written out (short hand-made ones), named
 * (a seeded numpy sample in samples.ts, shared by several cases), or generated on both sides by the LCG.
 */

export interface LcgInput {
  lcg: { seed: number; n: number; shift: number; scale: number };
  /** The first three generated values and their sum, to prove both sides generated the same sample. */
  first: number[];
  sum: number;
}

export type SampleInput = number[] | { sample: string } | LcgInput;

/** scipy.stats.ks_2samp(reference, current, method=method), two-sided. */
export interface KsCase {
  name: string;
  reference: SampleInput;
  current: SampleInput;
  method: "auto" | "exact" | "asymp";
  expectedMethod: "exact" | "asymp";
  statistic: number;
  pValue: number;
}

/** scipy.stats.kstwo.sf(x, n). */
export interface KolmogorovCase {
  n: number;
  x: number;
  sf: number;
}

/** scipy.stats.chi2_contingency([reference row, current row], correction=yates) over the union of categories. */
export interface ChiSquareCase {
  name: string;
  reference: Record<string, number>;
  current: Record<string, number>;
  yates: boolean;
  statistic: number;
  pValue: number;
  degreesOfFreedom: number;
}

export interface NumericBinnedCase {
  name: string;
  reference: SampleInput;
  current: SampleInput;
  bins: number;
  /** numpy.unique(numpy.quantile(reference, arange(1, bins) / bins)). */
  cuts: number[];
  /** numpy.bincount(numpy.searchsorted(cuts, sample, side="right")). */
  referenceCounts: number[];
  currentCounts: number[];
  /** Σ (r − c) ln(r / c) with empty shares replaced by 1e-4, computed with numpy. */
  psi: number;
  /** scipy.spatial.distance.jensenshannon(referenceCounts, currentCounts, base=2). */
  jsd: number;
}

export interface CategoricalBinnedCase {
  name: string;
  reference: Record<string, number>;
  current: Record<string, number>;
  psi: number;
  jsd: number;
}

/** scipy.spatial.distance.jensenshannon(p, q, base=2). */
export interface JsdVectorCase {
  name: string;
  p: number[];
  q: number[];
  distance: number;
}

/** statsmodels multipletests(pValues, alpha, method="bonferroni" | "fdr_bh"). */
export interface CorrectionCase {
  name: string;
  pValues: number[];
  alpha: number;
  bonferroni: { adjusted: number[]; reject: boolean[] };
  fdr: { adjusted: number[]; reject: boolean[] };
}

export interface HistogramCase {
  name: string;
  reference: SampleInput;
  current: SampleInput;
  bins: number;
  /** numpy.histogram_bin_edges(concatenate([reference, current]), bins). */
  edges: number[];
  /** numpy.histogram(sample, edges)[0]. */
  referenceCounts: number[];
  currentCounts: number[];
}
