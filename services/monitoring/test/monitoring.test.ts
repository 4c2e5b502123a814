import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type * as grpc from "@grpc/grpc-js";
import { readDlq } from "@gyre/bus";
import { driftDetectedSchema, performanceMeasuredSchema } from "@gyre/contracts";
import { GrpcStatus } from "@gyre/grpc";
import type { ModelBundle } from "@gyre/model";
import { withTransforms } from "../src/batchInputs.ts";
import { MonitoringHarness, metricValue } from "./harness.ts";
import { allButEveryNth, everyNth, inYears, mislabelled, unlabelled, weatherRows, weatherSpec } from "./weather.ts";

const COOLDOWN_SECONDS = 10;
const spec = weatherSpec({ minWindowRows: 150, cooldownSeconds: COOLDOWN_SECONDS, shareThreshold: 0.3 });
const seattle = weatherRows("Seattle");
const seattleInputs = withTransforms(spec, seattle);
// The champion learns three of every four Seattle days; the fourth days are the new data it is monitored on. They
// cover every season and year as the training rows do, so their windows should look like the reference, and New
// York's (another climate) should not.
const trainingRows = allButEveryNth(seattleInputs, 4);
const monitored = everyNth(seattle, 4);
const seattleBatch = everyNth(monitored, 2, 0);
const seattleServed = everyNth(everyNth(seattleInputs, 4), 2, 1);
const newYork2015 = inYears(weatherRows("New York"), 2015, 2015);

// One monitoring history, built up step by step: each test builds on the state the ones before it left.
describe("monitoring service", () => {
  const harness = new MonitoringHarness(spec);
  let champion: ModelBundle;
  let holdoutAccuracy = 0;
  let dataDriftEventId = "";
  let dataDriftAt = 0;

  before(async () => {
    [champion] = await Promise.all([harness.train("run-seattle", trainingRows), harness.start()]);
    holdoutAccuracy = champion.metadata.metrics.accuracy ?? 0;
    await harness.publishTrained("run-seattle", champion);
    await harness.event("model.promoted", (event) => event.data.version === 1);
    await harness.monitoring.waitForLog((line) => line.event === "champion.loaded" && line.version === 1);
  });
  after(() => harness.cleanup());

  it("scores a labelled Seattle batch with the champion before training on it, and finds no data drift", async () => {
    const rows = seattleBatch;
    await harness.publishValidated("seattle-a", rows);
    const measured = await harness.event("performance.measured", (event) => event.data.batchId === "seattle-a");
    assert.equal(performanceMeasuredSchema.safeParse(measured.data).success, true);
    assert.deepEqual(
      { metric: measured.data.metric, version: measured.data.modelVersion, rows: measured.data.rows },
      { metric: "accuracy", version: 1, rows: rows.length },
    );
    assert.equal(measured.data.championHoldoutValue, holdoutAccuracy);
    assert.ok(
      Math.abs(measured.data.value - holdoutAccuracy) < 0.15,
      `prequential accuracy ${measured.data.value} is far from the holdout's ${holdoutAccuracy}`,
    );
    const line = await harness.monitoring.waitForLog(
      (log) => log.event === "batch.monitored" && log.batchId === "seattle-a",
    );
    assert.deepEqual([line.check, line.checkStatus, line.driftedFeatures], ["batches-1", "no-drift", []]);
    const checks = await harness.rpc.ListDriftEvents({ dataset: harness.dataset, include_no_drift: true });
    const [check] = checks.events;
    assert.deepEqual([check?.id, check?.status, check?.window_rows], ["batches-1", "no-drift", String(rows.length)]);
    // Lags and rolling means need history a batch does not have: batch windows test the other inputs.
    assert.deepEqual(check?.features.map((feature) => feature.name).sort(), [
      "month",
      "precipitation",
      "temp_max",
      "temp_min",
      "wind",
    ]);
    const points = await harness.rpc.GetPrequentialMetrics({ dataset: harness.dataset });
    assert.deepEqual(
      points.points.map((point) => [point.batch_id, point.model_version, point.metric, point.performance_drift]),
      [["seattle-a", "1", "accuracy", false]],
    );
    assert.equal(harness.eventsOf("drift.detected").length, 0);
  });

  it("answers the champion's training-reference statistics, as its bundle holds them; NOT_FOUND without a champion", async () => {
    const answer = await harness.rpc.GetReferenceStatistics({ dataset: harness.dataset });
    const stats = champion.referenceStats;
    assert.equal(Number(answer.model_version), 1);
    assert.equal(answer.run_id, "run-seattle");
    assert.equal(Number(answer.rows), stats.rows);
    assert.deepEqual(
      answer.columns.map((column) => [column.name, column.kind]),
      stats.columns.map((column) => [column.name, column.kind]),
    );
    const tempMax = stats.columns.find((column) => column.name === "temp_max");
    const answered = answer.columns.find((column) => column.name === "temp_max");
    assert.ok(tempMax?.kind === "numeric" && answered);
    assert.deepEqual(
      [answered.mean, answered.std, answered.min, answered.max, answered.histogram_counts.map(Number)],
      [tempMax.mean, tempMax.std, tempMax.min, tempMax.max, tempMax.histogram.counts],
    );
    assert.equal(answer.label?.kind, "categorical");
    assert.deepEqual(
      answer.label?.categories.map((category) => [category.value, Number(category.count)]),
      stats.label.kind === "categorical"
        ? stats.label.categories.map((category) => [category.value, category.count])
        : [],
    );
    const none = await harness.rpc.GetReferenceStatistics({ dataset: "no-such-dataset" }).then(
      () => assert.fail("expected NOT_FOUND"),
      (error: grpc.ServiceError) => error,
    );
    assert.equal(none.code, GrpcStatus.NOT_FOUND);
    assert.match(none.details, /"no-such-dataset" has no champion/);
  });

  it("declares data drift on New York rows, naming the drifted features with their statistics, with a report of every feature", async () => {
    await harness.publishValidated("new-york-2015-a", unlabelled(everyNth(newYork2015, 2, 0)));
    const drift = await harness.event("drift.detected", (event) => event.data.kind === "data");
    dataDriftEventId = drift.id;
    dataDriftAt = Date.now();
    assert.equal(driftDetectedSchema.safeParse(drift.data).success, true);
    assert.equal(drift.id, `drift-${harness.dataset}-batches-2`);
    const { data } = drift;
    assert.deepEqual(
      { window: data.window, modelVersion: data.modelVersion, correction: data.correction, threshold: data.threshold },
      {
        window: { source: "batches", rows: 183, batchIds: ["new-york-2015-a"] },
        modelVersion: 1,
        correction: "bonferroni",
        threshold: 0.3,
      },
    );
    assert.equal(data.reference?.kind, "training");
    // The spec's default rule: a feature drifted only when its p-value and its effect size both fired.
    for (const feature of data.features) {
      assert.equal(feature.rule, "both");
      assert.ok(feature.effectSize && feature.effectSize.value >= feature.effectSize.threshold, feature.name);
      assert.deepEqual(feature.firedBy, ["p-value", feature.effectSize.measure]);
    }
    const drifted = data.features.map((feature) => feature.name);
    for (const name of ["temp_min", "wind"]) assert.ok(drifted.includes(name), `${name} not among ${drifted}`);
    assert.ok(data.share >= 0.3, `share ${data.share}`);
    for (const feature of data.features) {
      assert.equal(feature.test, "ks");
      assert.ok(feature.pValue !== null && feature.pValue <= feature.threshold, `${feature.name} p ${feature.pValue}`);
      assert.equal(feature.threshold, 0.05 / 5, "Bonferroni over the five tested features");
      assert.ok(feature.statistic > 0 && feature.statistic <= 1);
      assert.ok(feature.psi !== undefined && feature.psi > 0 && feature.jsd !== undefined && feature.jsd > 0);
    }
    assert.equal(data.reportKey, `reports/drift/${harness.dataset}/batches-2.html`);
    const html = (await harness.store.getBuffer(data.reportKey ?? "")).toString("utf8");
    for (const name of ["precipitation", "temp_max", "temp_min", "wind", "month"]) {
      assert.ok(html.includes(`id="feature-${name}"`), `the report has no section for ${name}`);
    }
    assert.doesNotMatch(html, /<script/i);
    const report = await harness.rpc.GetDriftReport({ dataset: harness.dataset, id: "batches-2" });
    assert.deepEqual([report.report_key, report.html], [data.reportKey, html]);
  });

  it("suppresses a second drift event within the cooldown and records it as suppressed", async () => {
    await harness.publishValidated("new-york-2015-b", unlabelled(everyNth(newYork2015, 2, 1)));
    const line = await harness.monitoring.waitForLog(
      (log) => log.event === "batch.monitored" && log.batchId === "new-york-2015-b",
    );
    assert.ok(Date.now() - dataDriftAt < COOLDOWN_SECONDS * 1000, "the second window came after the cooldown");
    assert.deepEqual([line.check, line.checkStatus], ["batches-3", "suppressed"]);
    const listed = await harness.rpc.ListDriftEvents({ dataset: harness.dataset });
    assert.deepEqual(
      listed.events.map((event) => [event.id, event.status, event.suppressed_by]),
      [
        ["batches-3", "suppressed", dataDriftEventId],
        ["batches-2", "published", ""],
      ],
    );
    assert.equal(harness.eventsOf("drift.detected").length, 1);
  });

  it("flags performance drift on a mislabelled batch once the cooldown has passed", async () => {
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, dataDriftAt + COOLDOWN_SECONDS * 1000 - Date.now())),
    );
    const rows = mislabelled(everyNth(monitored, 2, 1).slice(0, 60), spec.label.classes ?? []);
    await harness.publishValidated("seattle-mislabelled", rows);
    const measured = await harness.event(
      "performance.measured",
      (event) => event.data.batchId === "seattle-mislabelled",
    );
    assert.ok(measured.data.value < holdoutAccuracy * 0.9, `accuracy ${measured.data.value} on mislabelled rows`);
    const drift = await harness.event("drift.detected", (event) => event.data.kind === "performance");
    assert.equal(driftDetectedSchema.safeParse(drift.data).success, true);
    assert.deepEqual(drift.data.features, [
      {
        name: "accuracy",
        test: "performance",
        statistic: measured.data.value,
        pValue: null,
        threshold: holdoutAccuracy * (1 - spec.drift.performanceDropThreshold),
      },
    ]);
    assert.deepEqual(
      [drift.data.window, drift.data.modelVersion],
      [{ source: "batches", rows: 60, batchIds: ["seattle-mislabelled"] }, 1],
    );
    const points = await harness.rpc.GetPrequentialMetrics({ dataset: harness.dataset });
    assert.deepEqual(points.points.at(-1)?.performance_drift, true);
  });

  it("monitors a redelivered batch once: same window, no second score", async () => {
    const rowsKey = `validated/${harness.dataset}/seattle-mislabelled.ndjson`;
    await harness.publishValidatedEvent("seattle-mislabelled", 60, rowsKey, "validated-seattle-mislabelled-again");
    await harness.monitoring.waitForLog(
      (log) => log.event === "batch.already_monitored" && log.batchId === "seattle-mislabelled",
    );
    const scored = harness
      .eventsOf("performance.measured")
      .filter((event) => event.data.batchId === "seattle-mislabelled");
    assert.equal(scored.length, 1);
  });

  it("windows serving's logged inputs (lags and rolling means included) and checks them against the reference", async () => {
    const inputs = seattleServed;
    await harness.publishPredictions("predictions-1", inputs.slice(0, 100), "champion", 1);
    await harness.publishPredictions("predictions-shadow", inputs.slice(0, 50), "shadow", 1);
    await harness.publishPredictions("predictions-2", inputs.slice(100), "champion", 1);
    const line = await harness.monitoring.waitForLog(
      (log) => log.event === "predictions.monitored" && log.check === "predictions-1",
    );
    assert.equal(line.windowRows, inputs.length, "the shadow's records are not in the window");
    const listed = await harness.rpc.ListDriftEvents({ dataset: harness.dataset, include_no_drift: true });
    const check = listed.events.find((event) => event.id === "predictions-1");
    assert.equal(check?.source, "predictions");
    assert.deepEqual(check?.features.map((feature) => feature.name).sort(), [
      "month",
      "precipitation",
      "precipitation_mean_7",
      "temp_max",
      "temp_max_lag1",
      "temp_min",
      "wind",
    ]);
    assert.equal(check?.status, "no-drift", JSON.stringify(check?.features));
  });

  it("exports drift statistics per feature, the prequential metric, prediction counts and the champion version", async () => {
    const text = await harness.metrics();
    const dataset = harness.dataset;
    const wind = metricValue(text, "gyre_drift_statistic", { dataset, feature: "wind", test: "ks", source: "batches" });
    assert.ok(wind !== undefined && wind > 0 && wind <= 1, `wind statistic ${wind}`);
    const accuracy = metricValue(text, "gyre_prequential_metric", { dataset, metric: "accuracy" });
    assert.ok(
      accuracy !== undefined && accuracy < holdoutAccuracy * 0.9,
      "the latest score is the mislabelled batch's",
    );
    const logged = (role: string) =>
      metricValue(text, "gyre_predictions_logged_total", { dataset, model_version: "1", role });
    assert.deepEqual([logged("champion"), logged("shadow")], [183, 50]);
    assert.equal(metricValue(text, "gyre_champion_version", { dataset }), 1);
    assert.equal(metricValue(text, "gyre_drift_checks_total", { dataset, kind: "data", outcome: "suppressed" }), 1);
    assert.equal(
      metricValue(text, "gyre_drift_checks_total", { dataset, kind: "performance", outcome: "published" }),
      1,
    );
  });

  it("records the promotion that follows a drift as a retrain linked to the drift event its run names", async () => {
    await harness.publishTrained("run-after-drift", champion, {
      metrics: { accuracy: 0.99, log_loss: 0.01 },
      champion: { version: 1, metrics: { accuracy: holdoutAccuracy, log_loss: 1 } },
      trigger: { reason: "drift", eventIds: [dataDriftEventId] },
    });
    await harness.event("model.promoted", (event) => event.data.version === 2);
    await harness.monitoring.waitForLog((line) => line.event === "promotion.observed" && line.version === 2);
    const { retrains } = await harness.rpc.ListRetrains({ dataset: harness.dataset });
    assert.deepEqual(
      retrains.map((retrain) => [
        retrain.version,
        retrain.previous_version,
        retrain.after_drift_event_id,
        retrain.trigger_reason,
        retrain.triggered_by_drift,
      ]),
      [["2", "1", dataDriftEventId, "drift", true]],
    );
    await harness.monitoring.waitForLog((line) => line.event === "champion.loaded" && line.version === 2);
    assert.equal(metricValue(await harness.metrics(), "gyre_champion_version", { dataset: harness.dataset }), 2);
  });

  it("dead-letters a data.validated whose rows are not in S3, naming the key", async () => {
    await harness.publishValidatedEvent(
      "missing-rows",
      10,
      `validated/${harness.dataset}/missing-rows.ndjson`,
      "validated-missing",
    );
    const deadline = Date.now() + 20_000;
    for (;;) {
      const letters = await readDlq(harness.bus, "monitoring");
      const letter = letters.find((entry) =>
        new TextDecoder().decode(entry.payload).includes('"batchId":"missing-rows"'),
      );
      if (letter) {
        assert.equal(letter.kind, "permanent");
        assert.match(letter.reason, /validated rows "validated\/weather\/missing-rows\.ndjson" are not in bucket/);
        break;
      }
      assert.ok(Date.now() < deadline, "no dead letter for batch missing-rows");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });

  it("answers NOT_FOUND for an unknown report and INVALID_ARGUMENT for a bad dataset name", async () => {
    const failure = (call: Promise<unknown>) =>
      call.then(
        () => assert.fail("expected an error"),
        (error: grpc.ServiceError) => error,
      );
    const missing = await failure(harness.rpc.GetDriftReport({ dataset: harness.dataset, id: "batches-99" }));
    assert.equal(missing.code, GrpcStatus.NOT_FOUND);
    assert.match(missing.details, /dataset "weather" has no drift report "batches-99"/);
    const invalid = await failure(harness.rpc.ListDriftEvents({ dataset: "Wea ther" }));
    assert.equal(invalid.code, GrpcStatus.INVALID_ARGUMENT);
    assert.match(invalid.details, /dataset "Wea ther"/);
  });
});
