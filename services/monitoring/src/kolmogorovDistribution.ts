import gammaln from "@stdlib/math-base-special-gammaln";
import { kolmogorovCdfDurbin } from "./durbinMatrix.ts";
import { smirnovSf } from "./smirnov.ts";

/**
 * Survival function Pr(Dₙ ≥ x) of the two-sided one-sample Kolmogorov–Smirnov statistic for a sample of n,
 * i.e. scipy.stats.kstwo.sf(x, n). Which formula applies where follows Simard and L'Ecuyer, "Computing the
 * two-sided Kolmogorov–Smirnov distribution" (J. Stat. Softw. 39(11), 2011), with scipy's cut-offs, so the
 * approximate regions (Pelz–Good, 2·smirnov) agree with scipy as well as the exact ones. Where scipy uses
 * Pomeranz's recursion (n ≤ 140, 0.754693 < nx² ≤ 4) this uses Durbin's matrix: both are exact.
 */
export function kolmogorovSf(n: number, x: number): number {
  if (!(Number.isInteger(n) && n > 0) || Number.isNaN(x)) {
    throw new RangeError(`Kolmogorov distribution: needs an integer n > 0 and a number x, got n=${n}, x=${x}`);
  }
  if (x >= 1) return 0;
  const t = n * x;
  if (t <= 0.5) return 1;
  if (t <= 1) return clip(1 - smallStatisticCdf(n, t));
  if (t >= n - 1) return clip(2 * (1 - x) ** n);
  if (x >= 0.5) return clip(2 * smirnovSf(n, x));

  const nxSquared = t * x;
  if (n <= 140) {
    if (nxSquared <= 4) return clip(1 - kolmogorovCdfDurbin(n, x));
    return clip(2 * smirnovSf(n, x));
  }
  if (nxSquared >= 370) return 0;
  if (nxSquared >= 2.2) return clip(2 * smirnovSf(n, x));
  if (n <= 100_000 && n * x ** 1.5 <= 1.4) return clip(1 - kolmogorovCdfDurbin(n, x));
  return clip(pelzGoodSf(n, x));
}

/** Ruben and Gambino: for 1/(2n) < x ≤ 1/n, Pr(Dₙ ≤ x) = n!/nⁿ (2nx − 1)ⁿ. */
function smallStatisticCdf(n: number, t: number): number {
  if (n <= 140) {
    let product = 1;
    for (let i = 1; i <= n; i++) product *= (i / n) * (2 * t - 1);
    return product;
  }
  return Math.exp(gammaln(n + 1) - n * Math.log(n) + n * Math.log(2 * t - 1));
}

const PI_SQUARED = Math.PI ** 2;
const SQRT_TWO_PI = Math.sqrt(2 * Math.PI);

/**
 * Pelz and Good's approximation (JRSS B 38(2), 1976): the Li-Chien/Korolyuk expansion
 * K₀(z) + K₁(z)/√n + K₂(z)/n + K₃(z)/n^1.5 in z = x√n, rewritten with Jacobi theta identities so that it
 * converges for small z. Returns the survival function 1 − Σ Kᵢ/n^(i/2).
 */
function pelzGoodSf(n: number, x: number): number {
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const logQ = -PI_SQUARED / 8 / z2;
  if (logQ < -708) return 1;
  const maxK = Math.ceil((16 * z) / Math.PI);

  const sums = [0, 0, 0, 0];
  for (let k = 1; k <= maxK; k++) {
    const m2 = (2 * k - 1) ** 2;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const weight = Math.exp(logQ * m2);
    sums[0] = (sums[0] as number) + weight;
    sums[1] = (sums[1] as number) + weight * (-z2 + (PI_SQUARED / 4) * m2);
    sums[2] =
      (sums[2] as number) +
      weight *
        (6 * z6 + 2 * z4 + ((2 * z4 - 5 * z2) * PI_SQUARED * m2) / 4 + (PI_SQUARED ** 2 * (1 - 2 * z2) * m4) / 16);
    sums[3] =
      (sums[3] as number) +
      weight *
        (-30 * z6 -
          90 * z4 * z4 +
          (PI_SQUARED * (135 * z4 - 96 * z6) * m2) / 4 +
          (PI_SQUARED ** 2 * (-60 * z2 + 212 * z4) * m4) / 16 +
          (PI_SQUARED ** 3 * (5 - 30 * z2) * m6) / 64);
  }
  const k0 = (SQRT_TWO_PI * (sums[0] as number)) / z;
  const k1 = (SQRT_TWO_PI * (sums[1] as number)) / (6 * z4);
  let k2 = (SQRT_TWO_PI * (sums[2] as number)) / (72 * z6 * z);
  let k3 = (SQRT_TWO_PI * (sums[3] as number)) / (6480 * z6 * z4);

  // Terms over all integers k: K₂ gets −π²k² q^(k²)/(36z³), K₃ gets (3z² − π²k²)π²k² q^(k²)/(216z⁶), q = e^(−π²/2z²).
  let extra2 = 0;
  let extra3 = 0;
  for (let k = 1; k <= maxK; k++) {
    const k2Squared = k * k;
    const weight = Math.exp((-PI_SQUARED / 2 / z2) * k2Squared);
    extra2 += k2Squared * weight;
    extra3 += (3 * z2 - PI_SQUARED * k2Squared) * k2Squared * weight;
  }
  k2 += (extra2 * PI_SQUARED * SQRT_TWO_PI) / (-36 * z2 * z);
  k3 += (extra3 * PI_SQUARED * SQRT_TWO_PI) / (216 * z6);

  return 1 - k0 - k1 / Math.sqrt(n) - k2 / n - k3 / n ** 1.5;
}

function clip(probability: number): number {
  return Math.min(1, Math.max(0, probability));
}
