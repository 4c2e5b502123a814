import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { mulberry32 } from "@gyre/model";
import { driftDecision, effectThresholdOf } from "../src/driftDecision.ts";
import { numericFeatureTest } from "../src/featureTest.ts";
import { normalisedWasserstein, wassersteinDistance } from "../src/wasserstein.ts";

describe("Wasserstein distance", () => {
  // Expected values by the definition ∫|F_r − F_c| dx; the first is scipy.stats.wasserstein_distance's own example.
  const cases = [
    { name: "scipy's example: a shift by 5", reference: [0, 1, 3], current: [5, 6, 8], distance: 5 },
    { name: "identical samples", reference: [1, 2, 3, 4], current: [4, 3, 2, 1], distance: 0 },
    { name: "one point each", reference: [0], current: [2.5], distance: 2.5 },
    { name: "half the mass moves by 1", reference: [0, 1], current: [0, 2], distance: 0.5 },
    // F_r − F_c: 1/2 on [0, 1), −1/6 on [1, 2), 1/3 on [2, 3): 1/2 + 1/6 + 1/3.
    { name: "different sizes", reference: [0, 2], current: [1, 1, 3], distance: 1 },
    {
      name: "equal sizes: mean of sorted differences",
      reference: [3, 1, 2],
      current: [7, 0, 2],
      distance: (1 + 0 + 4) / 3,
    },
  ];
  for (const { name, reference, current, distance } of cases) {
    test(`${name}: ${distance}`, () => {
      assert.ok(Math.abs(wassersteinDistance(reference, current) - distance) < 1e-12);
      assert.ok(Math.abs(wassersteinDistance(current, reference) - distance) < 1e-12, "symmetric");
    });
  }

  test("normalised by the reference's population standard deviation (Evidently's normed distance)", () => {
    // Reference [0, 2]: mean 1, population std 1; moving both by 0.3 is 0.3 standard deviations.
    assert.ok(Math.abs(normalisedWasserstein([0, 2], [0.3, 2.3]) - 0.3) < 1e-12);
    // Same shift, ten times the spread: a tenth of the effect.
    assert.ok(Math.abs(normalisedWasserstein([0, 20], [0.3, 20.3]) - 0.03) < 1e-12);
    // A constant reference divides by 0.001, not by zero.
    assert.equal(normalisedWasserstein([5, 5], [5, 5]), 0);
    assert.ok(Number.isFinite(normalisedWasserstein([5, 5], [6, 6])));
  });

  test("rejects an empty or non-finite sample, naming it", () => {
    assert.throws(() => wassersteinDistance([], [1]), /reference sample is empty/);
    assert.throws(() => wassersteinDistance([1], [Number.NaN]), /current value NaN/);
  });
});

describe("drift rules: p-value, effect size, both", () => {
  const policy = { pValue: 0.05, correction: "none" as const, shareThreshold: 0.5 };
  // A significant but tiny shift (large window), a large shift, and a large-looking but insignificant one.
  const results = [
    { name: "tiny", pValue: 0.001, effect: { measure: "wasserstein" as const, value: 0.04 } },
    { name: "large", pValue: 1e-9, effect: { measure: "wasserstein" as const, value: 0.6 } },
    { name: "noisy", pValue: 0.4, effect: { measure: "psi" as const, value: 0.3 } },
  ];
  const cases = [
    { rule: "p-value", drifted: ["tiny", "large"] },
    { rule: "effect-size", drifted: ["large", "noisy"] },
    { rule: "both", drifted: ["large"] },
  ] as const;
  for (const { rule, drifted } of cases) {
    test(`${rule}: drifted ${drifted.join(", ")}`, () => {
      const decision = driftDecision(results, { ...policy, rule });
      assert.deepEqual(decision.driftedFeatures, drifted);
      assert.deepEqual(
        decision.features.map((feature) => feature.firedBy),
        [["p-value"], ["p-value", "wasserstein"], ["psi"]],
      );
      assert.ok(decision.features.every((feature) => feature.rule === rule));
    });
  }

  test("thresholds: the policy's, a feature's own, and the defaults (Wasserstein 0.1, PSI 0.2)", () => {
    const own = {
      ...policy,
      rule: "both" as const,
      wassersteinThreshold: 0.5,
      featureThresholds: { tiny: { wasserstein: 0.03 } },
    };
    const decision = driftDecision(results, own);
    assert.deepEqual(
      decision.features.map((feature) => feature.effectThreshold),
      [0.03, 0.5, 0.2],
    );
    assert.deepEqual(decision.driftedFeatures, ["tiny", "large"]);
    assert.equal(effectThresholdOf({ ...policy }, "x", "wasserstein"), 0.1);
    assert.equal(effectThresholdOf({ ...policy }, "x", "psi"), 0.2);
  });

  test("with 20,000 rows a 0.05-standard-deviation shift drifts by the p-value, not by both", () => {
    // A 0.05-standard-deviation shift: too small to matter, too large for KS to miss at this size.
    const random = mulberry32(7);
    const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const reference = Array.from({ length: 20_000 }, normal);
    const current = Array.from({ length: 20_000 }, () => normal() + 0.05);
    const result = numericFeatureTest("x", reference, current);
    const byP = driftDecision([result], { ...policy, rule: "p-value" });
    const byBoth = driftDecision([result], { ...policy, rule: "both" });
    assert.deepEqual(byP.driftedFeatures, ["x"], `KS p-value ${result.pValue}`);
    assert.deepEqual(byBoth.driftedFeatures, [], `normalised Wasserstein ${result.effect.value}`);
    assert.ok(result.effect.value > 0.02 && result.effect.value < 0.1);
  });
});
