/**
 * Pr(Dₙ < d) for the two-sided one-sample Kolmogorov statistic, exactly, by Durbin's matrix method as
 * Marsaglia, Tsang and Wang evaluate it ("Evaluating Kolmogorov's distribution", J. Stat. Softw. 8(18), 2003):
 * write d = (k − h)/n with k = ⌈nd⌉, build the (2k−1)² matrix H, and read n!/nⁿ · (Hⁿ)[k−1][k−1].
 * Cost O(m³ log n) for m = 2k − 1, so callers keep nd small.
 */

const SCALE_EXPONENT = 128;
const SCALE_UP = 2 ** SCALE_EXPONENT;
const SCALE_DOWN = 2 ** -SCALE_EXPONENT;

export function kolmogorovCdfDurbin(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const size = 2 * k - 1;

  let base = durbinMatrix(size, h);
  let baseExponent = 0;
  let power = identity(size);
  let powerExponent = 0;
  for (let remaining = n; remaining > 0; remaining = Math.floor(remaining / 2)) {
    if (remaining % 2 === 1) {
      power = multiply(power, base, size);
      powerExponent += baseExponent;
    }
    base = multiply(base, base, size);
    baseExponent *= 2;
    if (maxAbs(base) > SCALE_UP) {
      for (let index = 0; index < base.length; index++) base[index] = (base[index] as number) * SCALE_DOWN;
      baseExponent += SCALE_EXPONENT;
    }
  }

  let probability = power[(k - 1) * size + (k - 1)] as number;
  let exponent = powerExponent;
  // Multiply by n!/nⁿ one factor at a time, rescaling so nothing underflows.
  for (let i = 1; i <= n; i++) {
    probability = (i * probability) / n;
    if (Math.abs(probability) < SCALE_DOWN) {
      probability *= SCALE_UP;
      exponent -= SCALE_EXPONENT;
    }
  }
  return Math.min(1, Math.max(0, timesPowerOfTwo(probability, exponent)));
}

/** H[r][c] = 1/(r−c+1)! on and below the superdiagonal, with the first column and last row corrected by h. */
function durbinMatrix(size: number, h: number): Float64Array {
  const inverseFactorials = new Float64Array(size + 1);
  inverseFactorials[0] = 1;
  for (let j = 1; j <= size; j++) inverseFactorials[j] = (inverseFactorials[j - 1] as number) / j;

  const edge = new Float64Array(size);
  for (let j = 0; j < size; j++) edge[j] = (1 - h ** (j + 1)) * (inverseFactorials[j + 1] as number);
  edge[size - 1] = (1 + Math.max(2 * h - 1, 0) ** size - 2 * h ** size) * (inverseFactorials[size] as number);

  const matrix = new Float64Array(size * size);
  for (let column = 1; column < size; column++) {
    for (let row = column - 1; row < size; row++) {
      matrix[row * size + column] = inverseFactorials[row - column + 1] as number;
    }
  }
  for (let row = 0; row < size; row++) matrix[row * size] = edge[row] as number;
  for (let column = 0; column < size; column++) matrix[(size - 1) * size + column] = edge[size - 1 - column] as number;
  return matrix;
}

function identity(size: number): Float64Array {
  const matrix = new Float64Array(size * size);
  for (let i = 0; i < size; i++) matrix[i * size + i] = 1;
  return matrix;
}

function multiply(left: Float64Array, right: Float64Array, size: number): Float64Array {
  const product = new Float64Array(size * size);
  for (let row = 0; row < size; row++) {
    for (let inner = 0; inner < size; inner++) {
      const factor = left[row * size + inner] as number;
      if (factor === 0) continue;
      const rightRow = inner * size;
      const productRow = row * size;
      for (let column = 0; column < size; column++) {
        product[productRow + column] =
          (product[productRow + column] as number) + factor * (right[rightRow + column] as number);
      }
    }
  }
  return product;
}

function maxAbs(matrix: Float64Array): number {
  let largest = 0;
  for (const value of matrix) largest = Math.max(largest, Math.abs(value));
  return largest;
}

/** value · 2^exponent in steps that neither overflow nor underflow on the way. */
function timesPowerOfTwo(value: number, exponent: number): number {
  let result = value;
  let remaining = exponent;
  while (remaining > 0 && result !== 0 && Number.isFinite(result)) {
    const step = Math.min(remaining, 512);
    result *= 2 ** step;
    remaining -= step;
  }
  while (remaining < 0 && result !== 0) {
    const step = Math.max(remaining, -512);
    result *= 2 ** step;
    remaining -= step;
  }
  return result;
}
