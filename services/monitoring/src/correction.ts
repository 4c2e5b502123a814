export type Correction = "bonferroni" | "fdr" | "none";

/** Bonferroni: each p-value times the number of tests, capped at 1 (statsmodels multipletests "bonferroni"). */
export function bonferroni(pValues: readonly number[]): number[] {
  checkPValues(pValues);
  return pValues.map((p) => Math.min(p * pValues.length, 1));
}

/**
 * Benjamini–Hochberg adjusted p-values (statsmodels multipletests "fdr_bh"): with p₍₁₎ ≤ … ≤ p₍ₘ₎,
 * adj₍ᵢ₎ = min_{j ≥ i} p₍ⱼ₎ · m / j, capped at 1, returned in the input order.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  checkPValues(pValues);
  const m = pValues.length;
  const order = ascendingOrder(pValues);
  const adjusted = new Array<number>(m);
  let smallest = 1;
  for (let rank = m; rank >= 1; rank--) {
    const index = order[rank - 1] as number;
    smallest = Math.min(smallest, ((pValues[index] as number) * m) / rank);
    adjusted[index] = smallest;
  }
  return adjusted;
}

/**
 * The threshold on the raw p-values that a correction amounts to at level α: a test rejects when p ≤ it.
 * none: α. Bonferroni: α/m. Benjamini–Hochberg (step-up): the largest i·α/m with p₍ᵢ₎ ≤ i·α/m, or α/m when
 * no test rejects (a p-value at or below α/m would always have rejected).
 */
export function rawPValueThreshold(pValues: readonly number[], alpha: number, correction: Correction): number {
  checkPValues(pValues);
  const m = Math.max(pValues.length, 1);
  if (correction === "none") return alpha;
  if (correction === "bonferroni") return alpha / m;
  const sorted = [...pValues].sort((a, b) => a - b);
  let threshold = alpha / m;
  sorted.forEach((p, index) => {
    const critical = ((index + 1) / m) * alpha;
    if (p <= critical) threshold = critical;
  });
  return threshold;
}

export function adjustPValues(pValues: readonly number[], correction: Correction): number[] {
  if (correction === "bonferroni") return bonferroni(pValues);
  if (correction === "fdr") return benjaminiHochberg(pValues);
  checkPValues(pValues);
  return [...pValues];
}

function ascendingOrder(values: readonly number[]): number[] {
  // The order among ties does not matter: tied p-values get the same adjusted value.
  return values.map((_, index) => index).sort((a, b) => (values[a] as number) - (values[b] as number));
}

function checkPValues(pValues: readonly number[]): void {
  pValues.forEach((p, index) => {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`p-value ${p} at index ${index} is not in [0, 1]`);
  });
}
