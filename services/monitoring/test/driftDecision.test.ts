import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { countCategories } from "../src/categoryCounts.ts";
import { driftDecision } from "../src/driftDecision.ts";
import { categoricalFeatureTest, numericFeatureTest } from "../src/featureTest.ts";

const results = [
  { name: "temp_max", pValue: 0.0001 },
  { name: "temp_min", pValue: 0.004 },
  { name: "precipitation", pValue: 0.02 },
  { name: "wind", pValue: 0.3 },
];

describe("driftDecision", () => {
  const cases = [
    { correction: "none", shareThreshold: 0.5, drifted: ["temp_max", "temp_min", "precipitation"], datasetDrift: true },
    { correction: "bonferroni", shareThreshold: 0.5, drifted: ["temp_max", "temp_min"], datasetDrift: true },
    { correction: "bonferroni", shareThreshold: 0.75, drifted: ["temp_max", "temp_min"], datasetDrift: false },
    // BH at 0.05 over 4: critical values 0.0125, 0.025, 0.0375, 0.05; p₍₃₎ = 0.02 ≤ 0.0375.
    { correction: "fdr", shareThreshold: 0.75, drifted: ["temp_max", "temp_min", "precipitation"], datasetDrift: true },
  ] as const;
  for (const { correction, shareThreshold, drifted, datasetDrift } of cases) {
    test(`${correction}, share threshold ${shareThreshold}: drifted ${drifted.join(", ")}, dataset drift ${datasetDrift}`, () => {
      const decision = driftDecision(results, { pValue: 0.05, correction, shareThreshold });
      assert.deepEqual(decision.driftedFeatures, drifted);
      assert.equal(decision.share, drifted.length / results.length);
      assert.equal(decision.datasetDrift, datasetDrift);
      for (const feature of decision.features) assert.equal(feature.drifted, feature.pValue <= feature.threshold);
    });
  }

  test("a share exactly at the threshold is dataset drift", () => {
    const decision = driftDecision(results, { pValue: 0.05, correction: "bonferroni", shareThreshold: 0.5 });
    assert.equal(decision.share, 0.5);
    assert.equal(decision.datasetDrift, true);
  });

  test("reports the adjusted p-value beside the raw one", () => {
    const decision = driftDecision(results, { pValue: 0.05, correction: "bonferroni", shareThreshold: 0.5 });
    assert.deepEqual(
      decision.features.map((feature) => [feature.pValue, feature.adjustedPValue, feature.threshold]),
      [
        [0.0001, 0.0004, 0.0125],
        [0.004, 0.016, 0.0125],
        [0.02, 0.08, 0.0125],
        [0.3, 1, 0.0125],
      ],
    );
  });

  test("no features tested is no drift", () => {
    assert.deepEqual(driftDecision([], { pValue: 0.05, correction: "fdr", shareThreshold: 0.5 }), {
      features: [],
      driftedFeatures: [],
      share: 0,
      datasetDrift: false,
    });
  });

  test("rejects a policy outside its range, naming the value", () => {
    assert.throws(() => driftDecision(results, { pValue: 0, correction: "none", shareThreshold: 0.5 }), /pValue 0/);
    assert.throws(() => driftDecision(results, { pValue: 0.05, correction: "none", shareThreshold: 1.2 }), /1.2/);
  });
});

describe("feature tests feed the decision", () => {
  test("a shifted numeric feature and a reshuffled categorical one drift; an unchanged one does not", () => {
    const grid = Array.from({ length: 400 }, (_, i) => (i * 37) % 101);
    const weather = (sun: number, rain: number, snow: number) =>
      countCategories([...Array(sun).fill("sun"), ...Array(rain).fill("rain"), ...Array(snow).fill("snow")]);
    const tests = [
      numericFeatureTest("stable", grid, grid.slice(0, 300)),
      numericFeatureTest(
        "shifted",
        grid,
        grid.map((value) => value + 30),
      ),
      categoricalFeatureTest("weather", weather(300, 250, 20), weather(150, 250, 120)),
    ];
    assert.deepEqual(
      tests.map((result) => result.test),
      ["ks", "ks", "chi2"],
    );
    const decision = driftDecision(tests, { pValue: 0.05, correction: "bonferroni", shareThreshold: 0.5 });
    assert.deepEqual(decision.driftedFeatures, ["shifted", "weather"]);
    assert.equal(decision.datasetDrift, true);
    const [stable, shifted] = decision.features;
    assert.ok(stable && shifted && stable.psi < 0.1 && shifted.psi > 0.25, "PSI separates stable from shifted");
    assert.ok(stable.jsd < shifted.jsd && shifted.jsd <= 1, "JS distance separates stable from shifted");
  });
});
