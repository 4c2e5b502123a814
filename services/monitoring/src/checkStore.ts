import type pg from "pg";
import type { WindowSource } from "./driftEvents.ts";
import type { CheckStatus } from "./driftReport.ts";

/** One tested feature (or the metric of a performance check) as stored and listed. */
export interface StoredFeature {
  name: string;
  test: "ks" | "chi2" | "performance";
  statistic: number;
  pValue: number | null;
  adjustedPValue: number | null;
  threshold: number;
  psi: number | null;
  jsd: number | null;
  drifted: boolean;
  /** Data drift checks since effect sizes: the effect size, its threshold, the rule and what fired. */
  effect?: { measure: string; value: number };
  effectThreshold?: number | null;
  rule?: string;
  firedBy?: string[];
}

export interface DriftCheckRecord {
  dataset: string;
  id: string;
  kind: "data" | "performance";
  source: WindowSource;
  status: CheckStatus;
  eventId: string | null;
  suppressedBy: string | null;
  modelVersion: number;
  windowRows: number;
  share: number;
  shareThreshold: number;
  correction: string;
  features: StoredFeature[];
  reportKey: string | null;
  checkedAt: Date;
}

export async function insertCheck(client: pg.PoolClient, check: DriftCheckRecord): Promise<void> {
  await client.query(
    `INSERT INTO drift_checks (dataset, id, kind, source, status, event_id, suppressed_by, model_version, window_rows,
       share, share_threshold, correction, features, report_key, checked_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) ON CONFLICT DO NOTHING`,
    [
      check.dataset,
      check.id,
      check.kind,
      check.source,
      check.status,
      check.eventId,
      check.suppressedBy,
      check.modelVersion,
      check.windowRows,
      check.share,
      check.shareThreshold,
      check.correction,
      JSON.stringify(check.features),
      check.reportKey,
      check.checkedAt,
    ],
  );
}

/** The latest drift.detected published for the dataset: the start of its cooldown. */
export async function lastPublishedDrift(
  client: pg.PoolClient | pg.Pool,
  dataset: string,
  before?: Date,
): Promise<{ eventId: string; at: Date; kind: "data" | "performance" } | null> {
  const { rows } = await client.query<{ event_id: string; checked_at: Date; kind: "data" | "performance" }>(
    `SELECT event_id, checked_at, kind FROM drift_checks
     WHERE dataset = $1 AND status = 'published' AND ($2::timestamptz IS NULL OR checked_at < $2)
     ORDER BY checked_at DESC LIMIT 1`,
    [dataset, before ?? null],
  );
  const row = rows[0];
  return row === undefined ? null : { eventId: row.event_id, at: row.checked_at, kind: row.kind };
}

export interface PrequentialRecord {
  dataset: string;
  batchId: string;
  modelVersion: number;
  metric: string;
  value: number;
  championHoldoutValue: number;
  rows: number;
  performanceDrift: boolean;
  measuredAt: Date;
}

export async function insertPrequential(client: pg.PoolClient, record: PrequentialRecord): Promise<void> {
  await client.query(
    `INSERT INTO prequential (dataset, batch_id, model_version, metric, value, champion_holdout_value, rows,
       performance_drift, measured_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
    [
      record.dataset,
      record.batchId,
      record.modelVersion,
      record.metric,
      record.value,
      record.championHoldoutValue,
      record.rows,
      record.performanceDrift,
      record.measuredAt,
    ],
  );
}
