import { kolmogorovSf } from "./kolmogorovDistribution.ts";
import { greatestCommonDivisor, probabilityOutsideBand, probabilityOutsideSquare } from "./ksExact.ts";
import { sortedSample } from "./numericSample.ts";

/**
 * "auto" picks exact below this size, as scipy.stats.ks_2samp does (MAX_AUTO_N).
 */
export const KS_EXACT_MAX_SIZE = 10_000;

export type KsMethod = "auto" | "exact" | "asymp";

export interface KsResult {
  /** sup |F_reference − F_current|; with the exact method, rounded to the lattice value h/lcm(n, m) as scipy does. */
  statistic: number;
  pValue: number;
  /** The method that produced the p-value. */
  method: "exact" | "asymp";
}

/**
 * Two-sided two-sample Kolmogorov–Smirnov test, matching scipy.stats.ks_2samp(reference, current) for the
 * two-sided alternative, methods "auto" (the default), "exact" and "asymp":
 * - auto: exact when both samples have at most 10 000 values, otherwise asymp;
 * - exact: the lattice-path probability (equal sizes: reflection sum; unequal: Hodges' inside method), falling back
 *   to asymp when lcm(n, m) is too large for the lattice (n/g ≥ 2³¹/(m/g)) or the result is not a probability;
 * - asymp: the one-sample Kolmogorov distribution of D with the effective size en = n·m/(n+m) rounded to an integer
 *   (numpy's round half to even), i.e. scipy.stats.kstwo.sf(D, round(en)); not the limiting kstwobign.
 */
export function ksTwoSample(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  options: { method?: KsMethod } = {},
): KsResult {
  const a = sortedSample(reference, "reference");
  const b = sortedSample(current, "current");
  const statistic = ksStatistic(a, b);
  const n = a.length;
  const m = b.length;
  const g = greatestCommonDivisor(n, m);

  let method = options.method ?? "auto";
  if (method === "auto") method = Math.max(n, m) <= KS_EXACT_MAX_SIZE ? "exact" : "asymp";
  else if (method === "exact" && n / g >= 2_147_483_647 / (m / g)) method = "asymp";

  if (method === "exact") {
    const lcm = (n / g) * m;
    const h = roundHalfEven(statistic * lcm);
    const latticeStatistic = h / lcm;
    if (h === 0) return { statistic: latticeStatistic, pValue: 1, method: "exact" };
    const pValue = n === m ? probabilityOutsideSquare(n, h) : probabilityOutsideBand(n, m, h);
    if (pValue >= 0 && pValue <= 1) return { statistic: latticeStatistic, pValue, method: "exact" };
  }
  const effectiveSize = roundHalfEven((n * m) / (n + m));
  return { statistic, pValue: kolmogorovSf(effectiveSize, statistic), method: "asymp" };
}

/** D = max over the pooled values of |F_a(x) − F_b(x)|, with right-continuous empirical CDFs (ties handled). */
export function ksStatistic(sortedA: Float64Array, sortedB: Float64Array): number {
  const n = sortedA.length;
  const m = sortedB.length;
  let i = 0;
  let j = 0;
  let largest = 0;
  while (i < n || j < m) {
    const a = i < n ? (sortedA[i] as number) : Number.POSITIVE_INFINITY;
    const b = j < m ? (sortedB[j] as number) : Number.POSITIVE_INFINITY;
    const x = Math.min(a, b);
    while (i < n && sortedA[i] === x) i++;
    while (j < m && sortedB[j] === x) j++;
    largest = Math.max(largest, Math.abs(i / n - j / m));
  }
  return Math.min(largest, 1);
}

/** numpy.round: to the nearest integer, halves to even. */
export function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
