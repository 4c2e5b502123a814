/**
 * A numeric sample sorted ascending, checked once so the statistics never see NaN or ±Infinity.
 * `what` names the sample in the error ("reference", "current").
 */
export function sortedSample(values: ArrayLike<number>, what: string): Float64Array {
  const sorted = Float64Array.from(values);
  for (let index = 0; index < sorted.length; index++) {
    const value = sorted[index] as number;
    if (!Number.isFinite(value)) {
      throw new RangeError(
        `${what} sample: value ${value} at index ${index} is not a finite number; drop missing values first`,
      );
    }
  }
  if (sorted.length === 0) throw new RangeError(`${what} sample is empty; a statistic needs at least one value`);
  return sorted.sort();
}

/** Number of values in `sorted` that are ≤ `value` (numpy's searchsorted with side="right"). */
export function countAtMost(sorted: ArrayLike<number>, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Number of values in `sorted` that are < `value` (numpy's searchsorted with side="left"). */
export function countBelow(sorted: ArrayLike<number>, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** numpy.quantile's default ("linear", type 7) on an ascending sample, including numpy's two-sided lerp. */
export function quantileOfSorted(sorted: ArrayLike<number>, probability: number): number {
  const position = (sorted.length - 1) * probability;
  const below = Math.floor(position);
  const weight = position - below;
  const low = sorted[below] as number;
  const high = sorted[Math.min(below + 1, sorted.length - 1)] as number;
  const span = high - low;
  return weight >= 0.5 ? high - span * (1 - weight) : low + span * weight;
}
