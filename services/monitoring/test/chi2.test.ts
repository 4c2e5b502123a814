import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { countCategories } from "../src/categoryCounts.ts";
import { chiSquareHomogeneity } from "../src/chi2.ts";
import { chi2Cases } from "./reference/chi2Cases.ts";
import { assertClose } from "./referenceInputs.ts";

const counts = (record: Record<string, number>) => new Map(Object.entries(record));

describe("chi-square homogeneity matches scipy.stats.chi2_contingency within 1e-6", () => {
  for (const testCase of chi2Cases) {
    test(testCase.name, () => {
      const result = chiSquareHomogeneity(counts(testCase.reference), counts(testCase.current), {
        yates: testCase.yates,
      });
      assert.equal(result.degreesOfFreedom, testCase.degreesOfFreedom);
      assertClose(result.statistic, testCase.statistic, "statistic");
      assertClose(result.pValue, testCase.pValue, "p-value");
    });
  }
});

describe("chiSquareHomogeneity", () => {
  test("builds the table over the union of categories and drops those absent from both", () => {
    const result = chiSquareHomogeneity(counts({ a: 3, b: 0, z: 0 }), counts({ c: 2, a: 1, z: 0 }));
    assert.deepEqual(result.categories, ["a", "c"]);
    assert.equal(result.degreesOfFreedom, 1);
  });

  test("a single shared category has nothing to compare: statistic 0, p-value 1", () => {
    assert.deepEqual(chiSquareHomogeneity(counts({ x: 5 }), counts({ x: 9 })), {
      statistic: 0,
      pValue: 1,
      degreesOfFreedom: 0,
      categories: ["x"],
    });
  });

  test("rejects an empty sample and a negative count, naming them", () => {
    assert.throws(() => chiSquareHomogeneity(counts({ a: 2 }), new Map()), /the current sample has no counted values/);
    assert.throws(
      () => chiSquareHomogeneity(counts({ a: -1 }), counts({ a: 1 })),
      /reference count of category "a" is -1/,
    );
  });

  test("countCategories counts values by their string form and skips missing ones", () => {
    assert.deepEqual(
      [...countCategories(["rain", "sun", null, "rain", 1, "1", undefined, true])],
      [
        ["rain", 2],
        ["sun", 1],
        ["1", 2],
        ["true", 1],
      ],
    );
  });
});
