import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ReferenceStats } from "@gyre/model";
import { categoricalFeatureTest, numericFeatureTest } from "../src/featureTest.ts";
import { checkWindow } from "../src/windowCheck.ts";

const sample = Array.from({ length: 300 }, (_, i) => (i * 7) % 100);

const reference: ReferenceStats = {
  format: "gyre.reference-stats/v1",
  rows: 300,
  columns: [
    {
      name: "temp",
      kind: "numeric",
      count: 300,
      missing: 0,
      mean: 49.5,
      std: 29,
      min: 0,
      max: 99,
      quantiles: [],
      histogram: { edges: [], counts: [] },
      sample,
    },
    {
      name: "rainy",
      kind: "categorical",
      count: 300,
      missing: 0,
      categories: [
        { value: "false", count: 200, share: 2 / 3 },
        { value: "true", count: 100, share: 1 / 3 },
      ],
      unknown: 0,
    },
    {
      name: "unseen",
      kind: "numeric",
      count: 0,
      missing: 300,
      mean: 0,
      std: 0,
      min: 0,
      max: 0,
      quantiles: [],
      histogram: { edges: [], counts: [] },
      sample: [],
    },
  ],
  label: { name: "y", kind: "categorical", count: 0, missing: 0, categories: [], unknown: 0 },
};

const rows = Array.from({ length: 120 }, (_, i) => ({
  temp: i % 5 === 0 ? null : (i * 3) % 100,
  rainy: i % 2 === 0,
  unseen: i,
  other: "x",
}));

describe("checkWindow", () => {
  const policy = { pValue: 0.05, correction: "fdr" as const, shareThreshold: 0.5 };
  const check = checkWindow(reference, rows, ["temp", "rainy", "unseen", "absent"], policy);

  test("tests numeric columns with KS against the reference sample, leaving out missing values", () => {
    const present = rows.flatMap((row) => (row.temp === null ? [] : [row.temp]));
    const expected = numericFeatureTest("temp", sample, present);
    const temp = check.features.find((feature) => feature.name === "temp");
    assert.deepEqual(
      [temp?.statistic, temp?.pValue, temp?.psi, temp?.jsd, temp?.currentCount],
      [expected.statistic, expected.pValue, expected.psi, expected.jsd, 96],
    );
  });

  test("tests booleans with chi-square against the reference counts of false and true", () => {
    const expected = categoricalFeatureTest(
      "rainy",
      new Map([
        ["false", 200],
        ["true", 100],
      ]),
      new Map([
        ["false", 60],
        ["true", 60],
      ]),
    );
    const rainy = check.features.find((feature) => feature.name === "rainy");
    assert.deepEqual([rainy?.test, rainy?.statistic, rainy?.pValue], ["chi2", expected.statistic, expected.pValue]);
    assert.deepEqual(rainy?.chart, {
      kind: "categorical",
      categories: ["false", "true"],
      reference: [2 / 3, 1 / 3],
      current: [0.5, 0.5],
    });
  });

  test("skips columns the reference has no values of, or that are not asked for", () => {
    assert.deepEqual(
      check.features.map((feature) => feature.name),
      ["temp", "rainy"],
    );
    assert.equal(check.rows, 120);
  });

  test("applies the correction and the share threshold", () => {
    for (const feature of check.features) assert.equal(feature.drifted, feature.pValue <= feature.threshold);
    assert.equal(check.share, check.driftedFeatures.length / 2);
    assert.equal(check.datasetDrift, check.share >= 0.5);
  });

  test("a window with no testable column finds no drift", () => {
    const empty = checkWindow(reference, [{ other: 1 }], ["temp"], policy);
    assert.deepEqual([empty.features.length, empty.share, empty.datasetDrift], [0, 0, false]);
  });
});
