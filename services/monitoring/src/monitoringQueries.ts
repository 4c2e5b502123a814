import type { DriftEvent, PrequentialPoint, Retrain, UnscoredBatch } from "@gyre/grpc";
import type pg from "pg";
import type { StoredFeature } from "./checkStore.ts";

/** The latest `limit` prequential scores of a dataset, oldest first. */
export async function prequentialPoints(pool: pg.Pool, dataset: string, limit: number): Promise<PrequentialPoint[]> {
  const { rows } = await pool.query<{
    batch_id: string;
    model_version: number;
    metric: string;
    value: number;
    champion_holdout_value: number;
    rows: number;
    performance_drift: boolean;
    measured_at: Date;
  }>(
    `SELECT * FROM (SELECT * FROM prequential WHERE dataset = $1 ORDER BY measured_at DESC, batch_id DESC LIMIT $2) latest
     ORDER BY measured_at, batch_id`,
    [dataset, limit],
  );
  return rows.map((row) => ({
    batch_id: row.batch_id,
    model_version: row.model_version,
    metric: row.metric,
    value: row.value,
    champion_holdout_value: row.champion_holdout_value,
    rows: row.rows,
    performance_drift: row.performance_drift,
    measured_at: row.measured_at.toISOString(),
  }));
}

/** The latest `limit` batches the champion did not score because it trained on them, oldest first. */
export async function unscoredBatches(pool: pg.Pool, dataset: string, limit: number): Promise<UnscoredBatch[]> {
  const { rows } = await pool.query<{
    batch_id: string;
    model_version: number;
    run_id: string;
    reason: string;
    recorded_at: Date;
  }>(
    `SELECT * FROM (SELECT * FROM unscored_batches WHERE dataset = $1 ORDER BY recorded_at DESC, batch_id DESC
       LIMIT $2) latest ORDER BY recorded_at, batch_id`,
    [dataset, limit],
  );
  return rows.map((row) => ({
    batch_id: row.batch_id,
    model_version: row.model_version,
    run_id: row.run_id,
    reason: row.reason,
    recorded_at: row.recorded_at.toISOString(),
  }));
}

interface CheckRow {
  id: string;
  event_id: string | null;
  kind: string;
  status: string;
  source: string;
  window_rows: number;
  model_version: number;
  share: number;
  share_threshold: number;
  correction: string;
  features: StoredFeature[];
  report_key: string | null;
  checked_at: Date;
  suppressed_by: string | null;
}

/** Drift checks of a dataset, newest first: those that found drift, or every one with `includeNoDrift`. */
export async function driftEvents(
  pool: pg.Pool,
  dataset: string,
  limit: number,
  includeNoDrift: boolean,
): Promise<DriftEvent[]> {
  const { rows } = await pool.query<CheckRow>(
    `SELECT * FROM drift_checks WHERE dataset = $1 AND ($3 OR status <> 'no-drift')
     ORDER BY checked_at DESC, id DESC LIMIT $2`,
    [dataset, limit, includeNoDrift],
  );
  return rows.map((row) => ({
    id: row.id,
    event_id: row.event_id ?? "",
    kind: row.kind,
    status: row.status,
    source: row.source,
    window_rows: row.window_rows,
    model_version: row.model_version,
    share: row.share,
    share_threshold: row.share_threshold,
    correction: row.correction,
    features: row.features.map((feature) => ({
      name: feature.name,
      test: feature.test,
      statistic: feature.statistic,
      p_value: feature.pValue ?? -1,
      threshold: feature.threshold,
      psi: feature.psi ?? 0,
      jsd: feature.jsd ?? 0,
      drifted: feature.drifted,
      effect_measure: feature.effect?.measure ?? "",
      effect_size: feature.effect?.value ?? 0,
      effect_threshold: feature.effectThreshold ?? 0,
      rule: feature.rule ?? "",
      fired_by: feature.firedBy ?? [],
    })),
    report_key: row.report_key ?? "",
    checked_at: row.checked_at.toISOString(),
    suppressed_by: row.suppressed_by ?? "",
  }));
}

/** Champion changes that followed a drift event of the dataset, newest first. */
export async function retrains(pool: pg.Pool, dataset: string, limit: number): Promise<Retrain[]> {
  const { rows } = await pool.query<{
    version: number;
    previous_version: number | null;
    run_id: string;
    promoted_at: Date;
    after_drift_event_id: string;
    after_drift_kind: string;
    trigger_reason: string | null;
    trigger_event_ids: string[];
    triggered_by_drift: boolean;
    seconds_after_drift: number;
  }>(
    `SELECT * FROM promotions WHERE dataset = $1 AND after_drift_event_id IS NOT NULL
     ORDER BY promoted_at DESC, version DESC LIMIT $2`,
    [dataset, limit],
  );
  return rows.map((row) => ({
    version: row.version,
    previous_version: row.previous_version ?? 0,
    run_id: row.run_id,
    promoted_at: row.promoted_at.toISOString(),
    after_drift_event_id: row.after_drift_event_id,
    after_drift_kind: row.after_drift_kind,
    trigger_reason: row.trigger_reason ?? "",
    trigger_event_ids: row.trigger_event_ids,
    triggered_by_drift: row.triggered_by_drift,
    seconds_after_drift: row.seconds_after_drift,
  }));
}

/** Where a check's report is; null when the dataset has no such check or the check has no report. */
export async function reportKeyOf(pool: pg.Pool, dataset: string, id: string): Promise<string | null> {
  const { rows } = await pool.query<{ report_key: string | null }>(
    "SELECT report_key FROM drift_checks WHERE dataset = $1 AND id = $2",
    [dataset, id],
  );
  return rows[0]?.report_key ?? null;
}
