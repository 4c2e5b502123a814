/**
 * First Wasserstein (earth mover's) distance between two empirical distributions: ∫ |F_r(x) − F_c(x)| dx over the
 * merged sample points, as scipy.stats.wasserstein_distance computes it for unweighted samples.
 */
export function wassersteinDistance(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  const r = sortedFinite(reference, "reference");
  const c = sortedFinite(current, "current");
  const all = [...r, ...c].sort((a, b) => a - b);
  let distance = 0;
  let ri = 0;
  let ci = 0;
  for (let index = 0; index < all.length - 1; index++) {
    const x = all[index] as number;
    while (ri < r.length && (r[ri] as number) <= x) ri++;
    while (ci < c.length && (c[ci] as number) <= x) ci++;
    const width = (all[index + 1] as number) - x;
    if (width > 0) distance += Math.abs(ri / r.length - ci / c.length) * width;
  }
  return distance;
}

/** Smallest spread a normalised distance divides by: a constant reference column would divide by zero. */
export const MIN_REFERENCE_SPREAD = 0.001;

/**
 * Wasserstein distance in units of the reference's standard deviation (population, n), at least
 * MIN_REFERENCE_SPREAD: Evidently's "wasserstein distance (normed)", whose default drift threshold is 0.1. Unlike a
 * p-value it does not shrink towards "drifted" as windows grow: it measures how far the distribution moved.
 */
export function normalisedWasserstein(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  return wassersteinDistance(reference, current) / Math.max(populationStd(reference), MIN_REFERENCE_SPREAD);
}

function populationStd(values: ArrayLike<number>): number {
  let sum = 0;
  for (let index = 0; index < values.length; index++) sum += values[index] as number;
  const mean = sum / values.length;
  let squares = 0;
  for (let index = 0; index < values.length; index++) squares += ((values[index] as number) - mean) ** 2;
  return Math.sqrt(squares / values.length);
}

function sortedFinite(values: ArrayLike<number>, what: string): number[] {
  if (values.length === 0)
    throw new RangeError(`Wasserstein: the ${what} sample is empty; it needs at least one value`);
  const sorted = Array.from(values);
  for (const value of sorted) {
    if (!Number.isFinite(value)) throw new RangeError(`Wasserstein: ${what} value ${value}; values must be finite`);
  }
  return sorted.sort((a, b) => a - b);
}
