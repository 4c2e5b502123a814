/**
 * Exact null distribution of the two-sided two-sample Kolmogorov–Smirnov statistic, as a lattice-path count:
 * a path of m steps right and n steps up visits (i, j) after i values of the first sample and j of the second,
 * and D ≥ h/lcm(m, n) exactly when the path touches |i/m − j/n| ≥ h/lcm(m, n). Both functions return
 * Pr(D ≥ h/lcm(m, n)); they are the two methods scipy.stats.ks_2samp uses for method="exact".
 */

/**
 * Unequal sizes, "inside method" after Hodges (Ark. Mat. 3, 1958), carried as the share of paths that have
 * already left the band (Viehmann, arXiv:2102.08037), which stays within [0, 1] instead of growing like a
 * binomial coefficient. O(m · band width) time, O(n) memory.
 */
export function probabilityOutsideBand(sizeA: number, sizeB: number, h: number): number {
  const m = Math.max(sizeA, sizeB);
  const n = Math.min(sizeA, sizeB);
  const g = greatestCommonDivisor(m, n);
  const mg = m / g;
  const ng = n / g;
  // (i, j) is inside the band when |ng·i − mg·j| < h, i.e. lowest(i) ≤ j < highest(i).
  const lowest = (i: number) => Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
  const highest = (i: number) => Math.min(Math.ceil((ng * i + h) / mg), n + 1);

  // left[j]: share of the paths from (0, 0) to (i, j) that have touched the boundary; 1 outside the band.
  const left = new Float64Array(n + 1).fill(1);
  let low = lowest(0);
  let high = highest(0);
  left.fill(0, low, high);
  for (let i = 1; i <= m; i++) {
    const previousLow = low;
    low = lowest(i);
    high = highest(i);
    if (high <= low) return 1;
    left.fill(1, previousLow, low);
    // A path reaches (i, j) from (i−1, j) in i/(i+j) of the cases and from (i, j−1) in j/(i+j).
    let below = low === 0 ? 0 : 1;
    for (let j = low; j < high; j++) {
      below = ((left[j] as number) * i + below * j) / (i + j);
      left[j] = below;
    }
  }
  return left[n] as number;
}

/**
 * Equal sizes n: Pr(D ≥ h/n) = 2 Σ_{k≥1} (−1)^(k−1) C(2n, n−kh)/C(2n, n), evaluated as
 * 2·r₁(1 − r₂(1 − r₃(…))) with rₖ = C(2n, n−kh)/C(2n, n−(k−1)h), which avoids the cancellation of the plain sum.
 */
export function probabilityOutsideSquare(n: number, h: number): number {
  let nested = 0;
  for (let k = Math.floor(n / h) + 1; k >= 1; k--) {
    let ratio = 1;
    const start = n - (k - 1) * h;
    for (let j = 0; j < h; j++) ratio = ((start - j) * ratio) / (2 * n - start + j + 1);
    nested = ratio * (1 - nested);
  }
  return 2 * nested;
}

export function greatestCommonDivisor(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}
