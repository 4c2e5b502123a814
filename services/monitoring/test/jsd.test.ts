import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { categoricalJensenShannon, jensenShannonDistance, numericJensenShannon } from "../src/jsd.ts";
import { categoricalBinnedCases, jsdVectorCases, numericBinnedCases } from "./reference/binnedCases.ts";
import { assertClose, sampleOf } from "./referenceInputs.ts";

const counts = (record: Record<string, number>) => new Map(Object.entries(record));

describe("Jensen–Shannon distance matches scipy.spatial.distance.jensenshannon(base=2) within 1e-6", () => {
  for (const testCase of jsdVectorCases) {
    test(testCase.name, () =>
      assertClose(jensenShannonDistance(testCase.p, testCase.q), testCase.distance, "distance"),
    );
  }
  for (const testCase of numericBinnedCases) {
    test(`numeric, reference quantile bins: ${testCase.name}`, () => {
      const distance = numericJensenShannon(sampleOf(testCase.reference), sampleOf(testCase.current), {
        bins: testCase.bins,
      });
      assertClose(distance, testCase.jsd, "distance");
    });
  }
  for (const testCase of categoricalBinnedCases) {
    test(`categorical: ${testCase.name}`, () => {
      assertClose(
        categoricalJensenShannon(counts(testCase.reference), counts(testCase.current)),
        testCase.jsd,
        "distance",
      );
    });
  }
});

describe("jensenShannonDistance", () => {
  test("is symmetric and stays in [0, 1]", () => {
    const p = [3, 0, 9, 1];
    const q = [0, 4, 1, 8];
    const distance = jensenShannonDistance(p, q);
    assert.equal(distance, jensenShannonDistance(q, p));
    assert.ok(distance > 0 && distance < 1);
  });

  test("rejects mismatched bins and an all-zero distribution", () => {
    assert.throws(() => jensenShannonDistance([1], [1, 2]), /p has 1 bins and q 2/);
    assert.throws(() => jensenShannonDistance([0, 0], [1, 2]), /the weights of p sum to zero/);
  });
});
