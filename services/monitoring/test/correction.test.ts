import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { benjaminiHochberg, bonferroni, rawPValueThreshold } from "../src/correction.ts";
import { correctionCases } from "./reference/correctionCases.ts";
import { assertClose } from "./referenceInputs.ts";

const corrections = [
  { correction: "bonferroni", label: "Bonferroni", adjust: bonferroni },
  { correction: "fdr", label: "Benjamini–Hochberg", adjust: benjaminiHochberg },
] as const;

describe("multiple-testing corrections match statsmodels multipletests within 1e-6", () => {
  for (const testCase of correctionCases) {
    for (const { correction, label, adjust } of corrections) {
      test(`${label}: ${testCase.name}`, () => {
        const expected = testCase[correction];
        for (const [index, adjusted] of adjust(testCase.pValues).entries()) {
          assertClose(adjusted, expected.adjusted[index] as number, `adjusted p-value ${index}`);
        }
        const threshold = rawPValueThreshold(testCase.pValues, testCase.alpha, correction);
        assert.deepEqual(
          testCase.pValues.map((p) => p <= threshold),
          expected.reject,
          "p ≤ threshold rejects what statsmodels rejects",
        );
      });
    }
  }
});

describe("rawPValueThreshold", () => {
  test("is α without correction, α/m with Bonferroni, and the step-up cut-off with Benjamini–Hochberg", () => {
    const pValues = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205];
    assert.equal(rawPValueThreshold(pValues, 0.05, "none"), 0.05);
    assert.equal(rawPValueThreshold(pValues, 0.05, "bonferroni"), 0.05 / 8);
    // p₍₅₎ = 0.042 ≤ 5·0.05/8 = 0.03125 fails, p₍₂₎ = 0.008 ≤ 2·0.05/8 = 0.0125 holds, nothing above does.
    assert.equal(rawPValueThreshold(pValues, 0.05, "fdr"), (2 / 8) * 0.05);
  });

  test("rejects a p-value outside [0, 1], naming it", () => {
    assert.throws(() => bonferroni([0.2, 1.5]), /p-value 1.5 at index 1 is not in \[0, 1\]/);
    assert.throws(() => benjaminiHochberg([Number.NaN]), /p-value NaN at index 0/);
  });
});
