import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { kolmogorovSf } from "../src/kolmogorovDistribution.ts";
import { ksTwoSample, roundHalfEven } from "../src/ks.ts";
import { kolmogorovCases, ksCases } from "./reference/ksCases.ts";
import { assertClose, sampleOf } from "./referenceInputs.ts";

describe("two-sample Kolmogorov–Smirnov matches scipy.stats.ks_2samp within 1e-6", () => {
  for (const testCase of ksCases) {
    test(testCase.name, () => {
      const reference = sampleOf(testCase.reference);
      const current = sampleOf(testCase.current);
      const result = ksTwoSample(reference, current, { method: testCase.method });
      assert.equal(result.method, testCase.expectedMethod);
      assertClose(result.statistic, testCase.statistic, "statistic");
      assertClose(result.pValue, testCase.pValue, "p-value");
    });
  }
});

describe("the Kolmogorov distribution used by the asymptotic method matches scipy.stats.kstwo.sf within 1e-6", () => {
  for (const { n, x, sf } of kolmogorovCases) {
    test(`n=${n}, x=${x}`, () => assertClose(kolmogorovSf(n, x), sf, "survival function"));
  }
});

describe("ksTwoSample", () => {
  test("is symmetric in its two samples", () => {
    const a = [0.3, 1.2, 2.2, 2.2, 3.9, 4.1, 5.0];
    const b = [0.9, 1.0, 2.2, 3.1, 3.3];
    for (const method of ["exact", "asymp"] as const) {
      assert.deepEqual(ksTwoSample(a, b, { method }), ksTwoSample(b, a, { method }));
    }
  });

  test("rejects a sample with a missing value, naming it", () => {
    assert.throws(() => ksTwoSample([1, Number.NaN, 3], [1, 2]), /reference sample: value NaN at index 1/);
    assert.throws(() => ksTwoSample([1, 2], []), /current sample is empty/);
  });

  test("rounds the effective size half to even, as numpy.round does", () => {
    assert.deepEqual([0.5, 1.5, 2.5, 150.5, 150.49, 150.51].map(roundHalfEven), [0, 2, 2, 150, 150, 151]);
  });
});
