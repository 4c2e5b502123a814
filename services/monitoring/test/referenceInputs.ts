import assert from "node:assert/strict";
import type { LcgInput, SampleInput } from "./reference/caseTypes.ts";
import { samples } from "./reference/samples.ts";

/**
 * The sample generator of reference/generate.py: Irwin–Hall(3) values (u₁ + u₂ + u₃ − 1.5)·scale + shift with u from
 * the LCG x → (1664525x + 1013904223) mod 2³². Every step is exact or a single IEEE-rounded operation on doubles
 * (1664525x + 1013904223 < 2⁵³), so Python and JavaScript produce the same bits.
 */
export function lcgSample(spec: LcgInput["lcg"]): number[] {
  let state = spec.seed;
  const values: number[] = [];
  for (let i = 0; i < spec.n; i++) {
    let total = 0;
    for (let draw = 0; draw < 3; draw++) {
      state = (1664525 * state + 1013904223) % 4294967296;
      total = total + state / 4294967296;
    }
    values.push((total - 1.5) * spec.scale + spec.shift);
  }
  return values;
}

/** A written-out sample as is, a named one from samples.ts, a generated one regenerated and checked against Python's. */
export function sampleOf(input: SampleInput): number[] {
  if (Array.isArray(input)) return input;
  if ("sample" in input) {
    const named = samples[input.sample];
    assert.ok(named, `no sample named ${JSON.stringify(input.sample)} in reference/samples.ts`);
    return named;
  }
  const values = lcgSample(input.lcg);
  assert.deepEqual(values.slice(0, 3), input.first, "the LCG sample starts as Python's did");
  const sum = values.reduce((total, value) => total + value, 0);
  assert.ok(Math.abs(sum - input.sum) < 1e-6, `the LCG sample sums to ${sum}, Python's to ${input.sum}`);
  return values;
}

/** |actual − expected| ≤ 1e-6, naming the quantity when it is not. */
export function assertClose(actual: number, expected: number, what: string, tolerance = 1e-6): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: got ${actual}, expected ${expected} (difference ${Math.abs(actual - expected)}, tolerance ${tolerance})`,
  );
}
