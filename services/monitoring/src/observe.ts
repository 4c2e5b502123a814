import type { ArtifactStore } from "@gyre/artifacts";
import type { Bus } from "@gyre/bus";
import { newEvent } from "@gyre/contracts";
import { withTransaction } from "@gyre/db";
import type { Logger } from "@gyre/log";
import type { DatasetSpec } from "@gyre/spec";
import { LABEL } from "@gyre/telemetry";
import type pg from "pg";
import type { Champion } from "./champions.ts";
import { insertCheck, insertPrequential, lastPublishedDrift } from "./checkStore.ts";
import {
  dataDriftDetected,
  driftEventId,
  driftReportKey,
  EVENT_SOURCE,
  performanceCheckId,
  performanceDriftDetected,
  performanceEventId,
  performanceMeasured,
  suppressedBy,
  type WindowSource,
  windowCheckId,
} from "./driftEvents.ts";
import { type CheckStatus, renderDriftReport } from "./driftReport.ts";
import { MONITORING_LABEL, type MonitoringMetrics } from "./metrics.ts";
import { addToOutbox, publishOutbox } from "./outbox.ts";
import { type PrequentialScore, performanceVerdict } from "./performance.ts";
import { checkWindow, type WindowCheck } from "./windowCheck.ts";
import { addToWindow, closeWindow, lockDataset, type WindowState, windowRows } from "./windowStore.ts";

export interface ObserveDeps {
  pool: pg.Pool;
  store: ArtifactStore;
  bus: Bus;
  log: Logger;
  metrics: MonitoringMetrics;
}

/** One batch of rows for a dataset's window, with the champion's score when the batch was labelled. */
export interface Observation {
  dataset: string;
  spec: DatasetSpec;
  source: WindowSource;
  /** data.validated: the batch id; predictions.logged: the event id. */
  batchId: string;
  /** The rows, cut down to `columns`. */
  rows: Record<string, unknown>[];
  /** The columns this source's windows test. */
  columns: string[];
  /** The champion held when the event arrived; null before the registry named one. */
  champion: Champion | null;
  score: PrequentialScore | null;
}

export interface PerformanceOutcome {
  value: number;
  threshold: number;
  status: CheckStatus;
}

export interface WindowOutcome {
  id: string;
  status: CheckStatus;
  share: number;
  driftedFeatures: string[];
  check: WindowCheck;
}

export type ObservationOutcome =
  | { duplicate: true }
  | { duplicate: false; window: WindowState; performance: PerformanceOutcome | null; check: WindowOutcome | null };

/**
 * In one transaction under the dataset's lock: adds the batch to its window once, records the prequential score
 * (performance.measured, and drift.detected when it broke the threshold), and checks the window once it holds the
 * spec's minimum rows (report in S3, drift.detected on dataset drift). The cooldown holds back a drift.detected
 * within drift.cooldownSeconds of the dataset's last one; the check is recorded as suppressed. Events go out after
 * the commit through the outbox; a redelivered batch changes nothing and only publishes what is still pending.
 */
export async function observe(deps: ObserveDeps, observation: Observation): Promise<ObservationOutcome> {
  const outcome = await withTransaction(deps.pool, async (client): Promise<ObservationOutcome> => {
    await lockDataset(client, observation.dataset);
    const window = await addToWindow(client, observation);
    if (window === null) return { duplicate: true };
    const performance =
      observation.score && observation.champion
        ? await recordPerformance(client, observation, observation.champion, observation.score)
        : null;
    let check: WindowOutcome | null = null;
    if (window.rows >= observation.spec.drift.minWindowRows) {
      if (observation.champion)
        check = await checkFullWindow(client, deps.store, observation, observation.champion, window);
      else {
        deps.log.warn(
          {
            event: "window.unchecked",
            dataset: observation.dataset,
            source: observation.source,
            window: window.seq,
            rows: window.rows,
            reason: "no-champion",
          },
          "window full before any champion: nothing to compare it with",
        );
      }
      await closeWindow(client, { dataset: observation.dataset, source: observation.source, seq: window.seq });
    }
    return { duplicate: false, window, performance, check };
  });
  await publishOutbox(deps.bus, deps.pool, deps.log, observation.dataset);
  if (!outcome.duplicate) countOutcome(deps.metrics, observation, outcome);
  return outcome;
}

async function recordPerformance(
  client: pg.PoolClient,
  observation: Observation,
  champion: Champion,
  score: PrequentialScore,
): Promise<PerformanceOutcome> {
  const { dataset, batchId, spec } = observation;
  const verdict = performanceVerdict(
    score.metric,
    score.value,
    score.holdoutValue,
    spec.drift.performanceDropThreshold,
  );
  const measuredAt = new Date();
  await insertPrequential(client, {
    dataset,
    batchId,
    modelVersion: champion.version,
    metric: score.metric,
    value: score.value,
    championHoldoutValue: score.holdoutValue,
    rows: score.rows,
    performanceDrift: verdict.drifted,
    measuredAt,
  });
  const measured = performanceMeasured({ dataset, batchId, score, modelVersion: champion.version });
  await addToOutbox(
    client,
    newEvent("performance.measured", EVENT_SOURCE, measured, {
      id: performanceEventId(dataset, batchId),
      time: measuredAt,
    }),
  );
  if (!verdict.drifted) return { value: score.value, threshold: verdict.threshold, status: "no-drift" };

  const id = performanceCheckId(batchId);
  const eventId = driftEventId(dataset, id);
  const heldBackBy = suppressedBy({
    last: await lastPublishedDrift(client, dataset),
    now: measuredAt,
    cooldownSeconds: spec.drift.cooldownSeconds,
  });
  const status: CheckStatus = heldBackBy === null ? "published" : "suppressed";
  await insertCheck(client, {
    dataset,
    id,
    kind: "performance",
    source: "batches",
    status,
    eventId,
    suppressedBy: heldBackBy,
    modelVersion: champion.version,
    windowRows: score.rows,
    share: 1,
    shareThreshold: spec.drift.shareThreshold,
    correction: "none",
    features: [
      {
        name: score.metric,
        test: "performance",
        statistic: score.value,
        pValue: null,
        adjustedPValue: null,
        threshold: verdict.threshold,
        psi: null,
        jsd: null,
        drifted: true,
      },
    ],
    reportKey: null,
    checkedAt: measuredAt,
  });
  if (status === "published") {
    const detected = performanceDriftDetected({ dataset, spec, score, verdict, modelVersion: champion.version });
    await addToOutbox(client, newEvent("drift.detected", EVENT_SOURCE, detected, { id: eventId, time: measuredAt }));
  }
  return { value: score.value, threshold: verdict.threshold, status };
}

async function checkFullWindow(
  client: pg.PoolClient,
  store: ArtifactStore,
  observation: Observation,
  champion: Champion,
  window: WindowState,
): Promise<WindowOutcome> {
  const { dataset, spec, source } = observation;
  const rows = await windowRows(client, { dataset, source, seq: window.seq });
  const check = checkWindow(champion.bundle.referenceStats, rows, observation.columns, spec.drift);
  const id = windowCheckId(source, window.seq);
  const eventId = driftEventId(dataset, id);
  const checkedAt = new Date();
  const heldBackBy = check.datasetDrift
    ? suppressedBy({
        last: await lastPublishedDrift(client, dataset),
        now: checkedAt,
        cooldownSeconds: spec.drift.cooldownSeconds,
      })
    : null;
  const status: CheckStatus = !check.datasetDrift ? "no-drift" : heldBackBy === null ? "published" : "suppressed";
  const reportKey = driftReportKey(dataset, id);
  const html = renderDriftReport({
    dataset,
    checkId: id,
    source,
    modelVersion: champion.version,
    referenceRows: champion.bundle.referenceStats.rows,
    checkedAt,
    policy: spec.drift,
    check,
    status,
    eventId: check.datasetDrift ? eventId : null,
    suppressedBy: heldBackBy,
  });
  await store.put(reportKey, html, { contentType: "text/html; charset=utf-8" });
  await insertCheck(client, {
    dataset,
    id,
    kind: "data",
    source,
    status,
    eventId: check.datasetDrift ? eventId : null,
    suppressedBy: heldBackBy,
    modelVersion: champion.version,
    windowRows: check.rows,
    share: check.share,
    shareThreshold: spec.drift.shareThreshold,
    correction: spec.drift.correction,
    features: check.features.map(({ chart, referenceCount, currentCount, ...feature }) => feature),
    reportKey,
    checkedAt,
  });
  if (status === "published") {
    const detected = dataDriftDetected({ dataset, spec, check, source, reportKey, modelVersion: champion.version });
    await addToOutbox(client, newEvent("drift.detected", EVENT_SOURCE, detected, { id: eventId, time: checkedAt }));
  }
  return { id, status, share: check.share, driftedFeatures: check.driftedFeatures, check };
}

function countOutcome(
  metrics: MonitoringMetrics,
  observation: Observation,
  outcome: Extract<ObservationOutcome, { duplicate: false }>,
): void {
  const { dataset, source } = observation;
  const { feature, test, kind, metric } = MONITORING_LABEL;
  metrics.windowRows.inc({ [LABEL.dataset]: dataset, [MONITORING_LABEL.source]: source }, observation.rows.length);
  if (outcome.performance && observation.score) {
    metrics.prequentialMetric.set(
      { [LABEL.dataset]: dataset, [metric]: observation.score.metric },
      outcome.performance.value,
    );
    if (outcome.performance.status !== "no-drift") {
      metrics.driftChecks.inc({
        [LABEL.dataset]: dataset,
        [kind]: "performance",
        [LABEL.outcome]: outcome.performance.status,
      });
    }
  }
  if (outcome.check) {
    metrics.driftChecks.inc({ [LABEL.dataset]: dataset, [kind]: "data", [LABEL.outcome]: outcome.check.status });
    metrics.driftShare.set({ [LABEL.dataset]: dataset, [MONITORING_LABEL.source]: source }, outcome.check.share);
    for (const result of outcome.check.check.features) {
      metrics.driftStatistic.set(
        { [LABEL.dataset]: dataset, [feature]: result.name, [test]: result.test, [MONITORING_LABEL.source]: source },
        result.statistic,
      );
    }
  }
}

/** Log fields of a recorded observation. */
export function outcomeFields(outcome: Extract<ObservationOutcome, { duplicate: false }>) {
  return {
    window: outcome.window.seq,
    windowRows: outcome.window.rows,
    prequential: outcome.performance?.value ?? null,
    performanceDrift: outcome.performance?.status ?? null,
    check: outcome.check?.id ?? null,
    checkStatus: outcome.check?.status ?? null,
    share: outcome.check?.share ?? null,
    driftedFeatures: outcome.check?.driftedFeatures ?? [],
  };
}
