import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { categoricalPsi, numericPsi, populationStabilityIndex } from "../src/psi.ts";
import { countByCuts, referenceQuantileCuts } from "../src/quantileBins.ts";
import { categoricalBinnedCases, numericBinnedCases } from "./reference/binnedCases.ts";
import { assertClose, sampleOf } from "./referenceInputs.ts";

const counts = (record: Record<string, number>) => new Map(Object.entries(record));

describe("numeric PSI over the reference's quantile bins matches numpy within 1e-6", () => {
  for (const testCase of numericBinnedCases) {
    test(testCase.name, () => {
      const reference = sampleOf(testCase.reference);
      const current = sampleOf(testCase.current);
      const cuts = referenceQuantileCuts(reference, testCase.bins);
      assert.equal(cuts.length, testCase.cuts.length, "number of cut points");
      for (const [index, cut] of cuts.entries()) assertClose(cut, testCase.cuts[index] as number, `cut ${index}`, 1e-9);
      assert.deepEqual(countByCuts(reference, cuts, "reference"), testCase.referenceCounts);
      assert.deepEqual(countByCuts(current, cuts, "current"), testCase.currentCounts);
      assertClose(numericPsi(reference, current, { bins: testCase.bins }), testCase.psi, "PSI");
    });
  }
});

describe("categorical PSI over the union of categories matches numpy within 1e-6", () => {
  for (const testCase of categoricalBinnedCases) {
    test(testCase.name, () => {
      assertClose(categoricalPsi(counts(testCase.reference), counts(testCase.current)), testCase.psi, "PSI");
    });
  }
});

describe("populationStabilityIndex", () => {
  test("is zero for the same shares and grows with the shift", () => {
    assert.equal(populationStabilityIndex([10, 20, 30], [20, 40, 60]), 0);
    const small = populationStabilityIndex([25, 25, 25, 25], [22, 26, 26, 26]);
    const large = populationStabilityIndex([25, 25, 25, 25], [5, 15, 30, 50]);
    assert.ok(small > 0 && small < 0.1 && large > 0.25, `small ${small}, large ${large}`);
  });

  test("gives an empty bin a share of 1e-4 by default, or the share it is told", () => {
    // r = (0.5, 0.5), c = (1, ε): (0.5 − 1)·ln(0.5) + (0.5 − ε)·ln(0.5/ε)
    const expected = (epsilon: number) => (0.5 - 1) * Math.log(0.5) + (0.5 - epsilon) * Math.log(0.5 / epsilon);
    assertClose(populationStabilityIndex([5, 5], [8, 0]), expected(1e-4), "default ε");
    assertClose(populationStabilityIndex([5, 5], [8, 0], 1e-3), expected(1e-3), "ε = 1e-3");
  });

  test("rejects bins that do not match and samples with no values", () => {
    assert.throws(() => populationStabilityIndex([1, 2], [1, 2, 3]), /reference has 2 bins and current 3/);
    assert.throws(() => populationStabilityIndex([0, 0], [1, 2]), /the reference counts sum to zero/);
    assert.throws(() => referenceQuantileCuts([1, 2, 3], 1), /quantile bins: 1; use an integer ≥ 2/);
  });
});
