import type { ArtifactStore } from "@gyre/artifacts";
import type { Bus } from "@gyre/bus";
import { withTransaction } from "@gyre/db";
import type { Logger } from "@gyre/log";
import type { DatasetSpec } from "@gyre/spec";
import { LABEL } from "@gyre/telemetry";
import type pg from "pg";
import type { Champion } from "./champions.ts";
import { checkDataWindow, type WindowOutcome } from "./dataDriftCheck.ts";
import type { WindowSource } from "./driftEvents.ts";
import { MONITORING_LABEL, type MonitoringMetrics } from "./metrics.ts";
import { publishOutbox } from "./outbox.ts";
import type { PrequentialScore } from "./performance.ts";
import { type PerformanceOutcome, recordPerformance } from "./performanceCheck.ts";
import { recordSeasonRows, type Season } from "./seasonalReference.ts";
import { addToWindow, closeWindow, lockDataset, type WindowState } from "./windowStore.ts";

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
  /** A labelled batch the champion may not score (it trained on it), with why. */
  unscored?: Unscored | null;
  /** Validated batches: each row's calendar month, kept when the spec asks for a same-season reference. */
  seasons?: readonly (Season | null)[];
}

export interface Unscored {
  modelVersion: number;
  runId: string;
  reason: string;
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
    if (observation.unscored) await recordUnscored(client, observation, observation.unscored);
    if (observation.seasons && observation.spec.drift.seasonalReference) {
      await recordSeasonRows(client, observation.dataset, observation.batchId, observation.rows, observation.seasons);
    }
    let check: WindowOutcome | null = null;
    if (window.rows >= observation.spec.drift.minWindowRows) {
      if (observation.champion)
        check = await checkDataWindow(client, deps.store, observation, observation.champion, window);
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

async function recordUnscored(client: pg.PoolClient, observation: Observation, unscored: Unscored): Promise<void> {
  await client.query(
    `INSERT INTO unscored_batches (dataset, batch_id, model_version, run_id, reason) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT DO NOTHING`,
    [observation.dataset, observation.batchId, unscored.modelVersion, unscored.runId, unscored.reason],
  );
}

function countOutcome(
  metrics: MonitoringMetrics,
  observation: Observation,
  outcome: Extract<ObservationOutcome, { duplicate: false }>,
): void {
  const { dataset, source } = observation;
  const { feature, test, kind, metric } = MONITORING_LABEL;
  metrics.windowRows.inc({ [LABEL.dataset]: dataset, [MONITORING_LABEL.source]: source }, observation.rows.length);
  if (observation.unscored) metrics.unscoredBatches.inc({ [LABEL.dataset]: dataset });
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
