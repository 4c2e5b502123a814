import gammaln from "@stdlib/math-base-special-gammaln";

/**
 * Exact one-sided Kolmogorov–Smirnov tail, Pr(D⁺ₙ ≥ x), by the Birnbaum–Tingey sum
 *
 *   x · Σ_{j=0}^{⌊n(1−x)⌋} C(n, j) (x + j/n)^(j−1) (1 − x − j/n)^(n−j),
 *
 * evaluated term by term in log space (every term is positive, so there is no cancellation).
 * The same quantity as scipy.special.smirnov(n, x).
 */
export function smirnovSf(n: number, x: number): number {
  if (!(Number.isInteger(n) && n > 0) || !(x >= 0 && x <= 1)) {
    throw new RangeError(`smirnov: needs an integer n > 0 and 0 ≤ x ≤ 1, got n=${n}, x=${x}`);
  }
  if (x === 0) return 1;
  if (x === 1) return 0;
  const last = Math.floor(n * (1 - x));
  const logFactorialN = gammaln(n + 1);
  let sum = 0;
  for (let j = 0; j <= last; j++) {
    const left = x + j / n;
    const right = 1 - left;
    if (right <= 0) {
      // (1 − x − j/n)^(n−j) vanishes unless the exponent is zero.
      if (j === n) sum += Math.exp(logFactorialN - gammaln(j + 1) + (j - 1) * Math.log(left));
      continue;
    }
    const logTerm =
      logFactorialN - gammaln(j + 1) - gammaln(n - j + 1) + (j - 1) * Math.log(left) + (n - j) * Math.log(right);
    sum += Math.exp(logTerm);
  }
  return Math.min(1, Math.max(0, sum * x));
}
