import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { driftDetectedSchema, performanceMeasuredSchema } from "@gyre/contracts";
import type { MetricName } from "@gyre/model";
import {
  dataDriftDetected,
  driftEventId,
  driftReportKey,
  performanceCheckId,
  performanceDriftDetected,
  performanceEventId,
  performanceMeasured,
  suppressedBy,
  windowCheckId,
} from "../src/driftEvents.ts";
import { performanceVerdict } from "../src/performance.ts";
import type { WindowCheck } from "../src/windowCheck.ts";
import { weatherSpec } from "./weather.ts";

const spec = weatherSpec();

describe("performanceVerdict", () => {
  const cases: {
    metric: MetricName;
    value: number;
    holdout: number;
    drop: number;
    threshold: number;
    drifted: boolean;
  }[] = [
    { metric: "accuracy", value: 0.7, holdout: 0.8, drop: 0.1, threshold: 0.72, drifted: true },
    { metric: "accuracy", value: 0.25, holdout: 0.5, drop: 0.5, threshold: 0.25, drifted: false },
    { metric: "macro_f1", value: 0.6, holdout: 0.6, drop: 0, threshold: 0.6, drifted: false },
    { metric: "log_loss", value: 0.7, holdout: 0.6, drop: 0.1, threshold: 0.66, drifted: true },
    { metric: "rmse", value: 2.1, holdout: 2, drop: 0.1, threshold: 2.2, drifted: false },
    { metric: "mae", value: 2.3, holdout: 2, drop: 0.1, threshold: 2.2, drifted: true },
  ];
  for (const { metric, value, holdout, drop, threshold, drifted } of cases) {
    test(`${metric} ${value} against holdout ${holdout} with drop ${drop}: ${drifted ? "drift" : "no drift"}`, () => {
      const verdict = performanceVerdict(metric, value, holdout, drop);
      assert.ok(Math.abs(verdict.threshold - threshold) < 1e-12, `threshold ${verdict.threshold}`);
      assert.equal(verdict.drifted, drifted);
    });
  }
});

describe("suppressedBy (the cooldown)", () => {
  const at = new Date("2025-01-01T00:00:00.000Z");
  const later = (seconds: number) => new Date(at.getTime() + seconds * 1000);
  const last = { eventId: "drift-weather-batches-2", at };
  const cases = [
    { name: "no earlier drift event", last: null, now: later(1), cooldown: 60, expected: null },
    { name: "within the cooldown", last, now: later(59.9), cooldown: 60, expected: last.eventId },
    { name: "at the end of the cooldown", last, now: later(60), cooldown: 60, expected: null },
    { name: "no cooldown", last, now: later(0), cooldown: 0, expected: null },
  ];
  for (const { name, last: previous, now, cooldown, expected } of cases) {
    test(name, () => assert.equal(suppressedBy({ last: previous, now, cooldownSeconds: cooldown }), expected));
  }
});

describe("event ids and keys are deterministic", () => {
  const cases = [
    [windowCheckId("batches", 3), "batches-3"],
    [driftEventId("weather", "predictions-12"), "drift-weather-predictions-12"],
    [performanceCheckId("weather:2015-01"), "performance-weather~2015-01"],
    [performanceEventId("weather", "b-1"), "performance-weather-b-1"],
    [driftReportKey("weather", "batches-3"), "reports/drift/weather/batches-3.html"],
  ];
  for (const [actual, expected] of cases) test(expected ?? "", () => assert.equal(actual, expected));

  test("an id over 200 characters keeps its head and a hash, and stays the same", () => {
    const batchId = "b".repeat(200);
    const id = performanceEventId("weather", batchId);
    assert.equal(id.length, 200);
    assert.ok(id.startsWith("performance-weather-bbb"));
    assert.equal(performanceEventId("weather", batchId), id);
    assert.notEqual(performanceEventId("weather", `${batchId}c`), id);
  });
});

describe("event data passes the contracts' schemas", () => {
  const check: WindowCheck = {
    rows: 183,
    share: 0.5,
    datasetDrift: true,
    driftedFeatures: ["wind"],
    features: [
      {
        name: "wind",
        test: "ks",
        statistic: 0.4,
        pValue: 1e-20,
        adjustedPValue: 2e-20,
        threshold: 0.025,
        drifted: true,
        psi: 0.8,
        jsd: 0.3,
        effect: { measure: "wasserstein", value: 0.9 },
        effectThreshold: 0.1,
        rule: "both",
        firedBy: ["p-value", "wasserstein"],
        referenceCount: 1000,
        currentCount: 183,
        chart: { kind: "numeric", edges: [0, 1], reference: [1], current: [1] },
      },
      {
        name: "month",
        test: "ks",
        statistic: 0.05,
        pValue: 0.7,
        adjustedPValue: 1,
        threshold: 0.025,
        drifted: false,
        psi: 0.01,
        jsd: 0.02,
        effect: { measure: "wasserstein", value: 0.03 },
        effectThreshold: 0.1,
        rule: "both",
        firedBy: [],
        referenceCount: 1000,
        currentCount: 183,
        chart: { kind: "numeric", edges: [0, 1], reference: [1], current: [1] },
      },
    ],
  };

  test("data drift names only the drifted features, with test, statistic, p-value, threshold, PSI, JSD, effect size and the rule that fired", () => {
    const data = dataDriftDetected({
      dataset: "weather",
      spec,
      check,
      source: "batches",
      reportKey: "reports/drift/weather/batches-2.html",
      modelVersion: 1,
      batchIds: ["b-1", "b-2"],
    });
    assert.equal(driftDetectedSchema.safeParse(data).success, true);
    assert.deepEqual(data.window, { source: "batches", rows: check.rows, batchIds: ["b-1", "b-2"] });
    assert.deepEqual(data.features, [
      {
        name: "wind",
        test: "ks",
        statistic: 0.4,
        pValue: 1e-20,
        threshold: 0.025,
        psi: 0.8,
        jsd: 0.3,
        effectSize: { measure: "wasserstein", value: 0.9, threshold: 0.1 },
        rule: "both",
        firedBy: ["p-value", "wasserstein"],
      },
    ]);
    assert.deepEqual([data.share, data.threshold, data.correction], [0.5, 0.3, "bonferroni"]);
  });

  test("performance drift and performance.measured", () => {
    const score = { metric: "accuracy" as const, value: 0.2, holdoutValue: 0.8, rows: 60 };
    const verdict = performanceVerdict("accuracy", 0.2, 0.8, 0.1);
    const drift = performanceDriftDetected({
      dataset: "weather",
      spec,
      score,
      verdict,
      modelVersion: 4,
      batchId: "b-1",
    });
    assert.equal(driftDetectedSchema.safeParse(drift).success, true);
    assert.deepEqual(drift.window, { source: "batches", rows: 60, batchIds: ["b-1"] });
    assert.deepEqual(drift.features, [
      { name: "accuracy", test: "performance", statistic: 0.2, pValue: null, threshold: verdict.threshold },
    ]);
    const measured = performanceMeasured({ dataset: "weather", batchId: "b-1", score, modelVersion: 4 });
    assert.equal(performanceMeasuredSchema.safeParse(measured).success, true);
    assert.deepEqual(
      [measured.metric, measured.value, measured.championHoldoutValue, measured.rows],
      ["accuracy", 0.2, 0.8, 60],
    );
  });
});
