import type { TrainingSnapshot } from "@gyre/contracts";
import { withTransaction } from "@gyre/db";
import type { DatasetSpec } from "@gyre/spec";
import type pg from "pg";
import type { EpochLog } from "./fit.ts";
import type { TriggerReason } from "./trainingPolicy.ts";

export type RunStatus = "running" | "succeeded" | "failed";
export type Metrics = Record<string, number>;

export interface RunTrigger {
  reason: TriggerReason | "reproduce";
  eventIds: string[];
}

/** What a run is started with: recorded before any work, so even a run that dies at once leaves a record. */
export interface RunStart {
  runId: string;
  dataset: string;
  trigger: RunTrigger;
  reproduces: string | null;
  specRevision: number;
  spec: DatasetSpec;
  codeVersion: string;
  backend: string;
  tfjsVersion: string;
}

export interface RunRecord extends RunStart {
  status: RunStatus;
  params: { model: DatasetSpec["model"]; training: DatasetSpec["training"]; seed: number };
  snapshot: TrainingSnapshot | null;
  trainRows: number | null;
  holdoutRows: number | null;
  metrics: Metrics | null;
  championVersion: number | null;
  championMetrics: Metrics | null;
  artifactKey: string | null;
  weightsSha256: string | null;
  error: string | null;
  errorKind: string | null;
  durationMs: number | null;
  publishedAt: Date | null;
  startedAt: Date;
  finishedAt: Date | null;
  epochs: EpochLog[];
}

export class RunNotFoundError extends Error {
  override name = "RunNotFoundError";
  constructor(readonly runId: string) {
    super(`run "${runId}" is not recorded by this trainer`);
  }
}

export async function insertRun(client: pg.PoolClient, start: RunStart): Promise<void> {
  const { spec } = start;
  const params = { model: spec.model, training: spec.training, seed: spec.training.seed };
  await client.query(
    `INSERT INTO runs (run_id, dataset, status, trigger, reproduces, spec_revision, spec, params, code_version,
       backend, tfjs_version)
     VALUES ($1, $2, 'running', $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      start.runId,
      start.dataset,
      JSON.stringify(start.trigger),
      start.reproduces,
      start.specRevision,
      JSON.stringify(spec),
      JSON.stringify(params),
      start.codeVersion,
      start.backend,
      start.tfjsVersion,
    ],
  );
}

/**
 * Records the run's snapshot. For an ordinary run, its batches stop counting as new rows: the counters drop them
 * from new_labelled_rows, and this run becomes the one whose snapshot later batches are compared with.
 */
export function recordSnapshot(
  pool: pg.Pool,
  run: RunStart,
  snapshot: TrainingSnapshot,
  rows: { train: number; holdout: number },
): Promise<void> {
  return withTransaction(pool, async (client) => {
    await client.query(
      `UPDATE runs SET snapshot_id = $2, snapshot_batches = $3, train_rows = $4, holdout_rows = $5
       WHERE run_id = $1`,
      [run.runId, snapshot.id, JSON.stringify(snapshot.batches), rows.train, rows.holdout],
    );
    if (run.reproduces !== null) return;
    // Counters row first, as every writer of the counters locks it first.
    await client.query("SELECT 1 FROM training_counters WHERE dataset = $1 FOR UPDATE", [run.dataset]);
    const covered = await client.query<{ rows: string | null }>(
      `WITH covered AS (
         UPDATE feature_batches SET snapshot_run_id = $2
         WHERE dataset = $1 AND snapshot_run_id IS NULL AND batch_id = ANY($3::text[])
         RETURNING labelled_rows)
       SELECT sum(labelled_rows)::text AS rows FROM covered`,
      [run.dataset, run.runId, snapshot.batches.map((batch) => batch.batchId)],
    );
    await client.query(
      `UPDATE training_counters SET new_labelled_rows = greatest(new_labelled_rows - $2, 0),
         last_snapshot_run_id = $3, updated_at = now() WHERE dataset = $1`,
      [run.dataset, Number(covered.rows[0]?.rows ?? 0), run.runId],
    );
  });
}

export interface RunSuccess {
  metrics: Metrics;
  championVersion: number | null;
  championMetrics: Metrics | null;
  artifactKey: string;
  weightsSha256: string;
  durationMs: number;
  epochs: readonly EpochLog[];
}

/** Records the success; false when the run is no longer `running` (another holder found it orphaned). */
export function recordSuccess(pool: pg.Pool, runId: string, success: RunSuccess): Promise<boolean> {
  return withTransaction(pool, async (client) => {
    await insertEpochs(client, runId, success.epochs);
    const updated = await client.query(
      `UPDATE runs SET status = 'succeeded', metrics = $2, champion_version = $3, champion_metrics = $4,
         artifact_key = $5, weights_sha256 = $6, duration_ms = $7, finished_at = now()
       WHERE run_id = $1 AND status = 'running'`,
      [
        runId,
        JSON.stringify(success.metrics),
        success.championVersion,
        success.championMetrics === null ? null : JSON.stringify(success.championMetrics),
        success.artifactKey,
        success.weightsSha256,
        Math.round(success.durationMs),
      ],
    );
    return updated.rowCount === 1;
  });
}

export interface RunFailure {
  error: string;
  kind: string;
  durationMs: number;
  epochs: readonly EpochLog[];
  /** For a transient failure: hand the run's triggers back, claimable again after this delay. */
  retryAfterMs: number | null;
  maxAttempts: number;
}

/** Records the failure; a transient one hands the run's triggers back (up to maxAttempts claims each). */
export function recordFailure(pool: pg.Pool, runId: string, failure: RunFailure): Promise<number> {
  return withTransaction(pool, async (client) => {
    await insertEpochs(client, runId, failure.epochs);
    await client.query(
      `UPDATE runs SET status = 'failed', error = $2, error_kind = $3, duration_ms = $4, finished_at = now()
       WHERE run_id = $1 AND status = 'running'`,
      [runId, failure.error.slice(0, 4000), failure.kind, Math.round(failure.durationMs)],
    );
    if (failure.retryAfterMs === null) return 0;
    const handedBack = await client.query(
      `UPDATE triggers SET run_id = NULL, not_before = now() + make_interval(secs => $2 / 1000.0)
       WHERE run_id = $1 AND attempts < $3`,
      [runId, failure.retryAfterMs, failure.maxAttempts],
    );
    return handedBack.rowCount ?? 0;
  });
}

async function insertEpochs(client: pg.PoolClient, runId: string, epochs: readonly EpochLog[]): Promise<void> {
  if (epochs.length === 0) return;
  const finite = (value: number | null) => (value !== null && Number.isFinite(value) ? value : null);
  await client.query(
    `INSERT INTO run_epochs (run_id, epoch, loss, val_loss, metric, value, val_value)
     SELECT $1, * FROM unnest($2::int[], $3::float8[], $4::float8[], $5::text[], $6::float8[], $7::float8[])
     ON CONFLICT (run_id, epoch) DO NOTHING`,
    [
      runId,
      epochs.map((epoch) => epoch.epoch),
      epochs.map((epoch) => finite(epoch.loss)),
      epochs.map((epoch) => finite(epoch.valLoss)),
      epochs.map((epoch) => epoch.metric),
      epochs.map((epoch) => finite(epoch.value)),
      epochs.map((epoch) => finite(epoch.valValue)),
    ],
  );
}

export async function markPublished(pool: pg.Pool, runId: string): Promise<void> {
  await pool.query("UPDATE runs SET published_at = now() WHERE run_id = $1 AND published_at IS NULL", [runId]);
}

interface RunRow {
  run_id: string;
  dataset: string;
  status: RunStatus;
  trigger: RunTrigger;
  reproduces: string | null;
  spec_revision: number;
  spec: DatasetSpec;
  params: RunRecord["params"];
  code_version: string;
  backend: string;
  tfjs_version: string;
  snapshot_id: string | null;
  snapshot_batches: TrainingSnapshot["batches"] | null;
  train_rows: number | null;
  holdout_rows: number | null;
  metrics: Metrics | null;
  champion_version: number | null;
  champion_metrics: Metrics | null;
  artifact_key: string | null;
  weights_sha256: string | null;
  error: string | null;
  error_kind: string | null;
  duration_ms: number | null;
  published_at: Date | null;
  started_at: Date;
  finished_at: Date | null;
}

export async function getRun(db: pg.Pool | pg.PoolClient, runId: string): Promise<RunRecord> {
  const { rows } = await db.query<RunRow>("SELECT * FROM runs WHERE run_id = $1", [runId]);
  const row = rows[0];
  if (!row) throw new RunNotFoundError(runId);
  const epochs = await db.query<{
    epoch: number;
    loss: number | null;
    val_loss: number | null;
    metric: string;
    value: number | null;
    val_value: number | null;
  }>("SELECT * FROM run_epochs WHERE run_id = $1 ORDER BY epoch", [runId]);
  return {
    runId: row.run_id,
    dataset: row.dataset,
    status: row.status,
    trigger: row.trigger,
    reproduces: row.reproduces,
    specRevision: row.spec_revision,
    spec: row.spec,
    params: row.params,
    codeVersion: row.code_version,
    backend: row.backend,
    tfjsVersion: row.tfjs_version,
    snapshot:
      row.snapshot_id === null || row.snapshot_batches === null
        ? null
        : { id: row.snapshot_id, batches: row.snapshot_batches },
    trainRows: row.train_rows,
    holdoutRows: row.holdout_rows,
    metrics: row.metrics,
    championVersion: row.champion_version,
    championMetrics: row.champion_metrics,
    artifactKey: row.artifact_key,
    weightsSha256: row.weights_sha256,
    error: row.error,
    errorKind: row.error_kind,
    durationMs: row.duration_ms,
    publishedAt: row.published_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    epochs: epochs.rows.map((epoch) => ({
      epoch: epoch.epoch,
      loss: epoch.loss ?? Number.NaN,
      valLoss: epoch.val_loss,
      metric: epoch.metric,
      value: epoch.value ?? Number.NaN,
      valValue: epoch.val_value,
    })),
  };
}

/** Succeeded ordinary runs whose model.trained was not published yet (the process died in between), oldest first. */
export async function unpublishedRunIds(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ run_id: string }>(
    `SELECT run_id FROM runs WHERE status = 'succeeded' AND published_at IS NULL AND reproduces IS NULL
     ORDER BY started_at`,
  );
  return rows.map((row) => row.run_id);
}

/** The dataset's latest run whose model.trained went out, other than `except`; null when there is none. */
export async function latestPublishedRunId(pool: pg.Pool, dataset: string, except: string): Promise<string | null> {
  const { rows } = await pool.query<{ run_id: string }>(
    `SELECT run_id FROM runs WHERE dataset = $1 AND run_id <> $2 AND published_at IS NOT NULL
     ORDER BY started_at DESC LIMIT 1`,
    [dataset, except],
  );
  return rows[0]?.run_id ?? null;
}

/** The dataset's run in progress, as far as this database knows; null when none. */
export async function runningRunId(pool: pg.Pool, dataset: string): Promise<string | null> {
  const { rows } = await pool.query<{ run_id: string }>(
    "SELECT run_id FROM runs WHERE dataset = $1 AND status = 'running' ORDER BY started_at DESC LIMIT 1",
    [dataset],
  );
  return rows[0]?.run_id ?? null;
}
