import type { ModelTrained } from "@gyre/contracts";
import type pg from "pg";
import { RunNotFoundError } from "./errors.ts";
import type { RunRecord } from "./runs.ts";

// Registered runs come from versions, refused ones from refused_runs (the model.trained data as received), in one
// shape. The snapshot is reduced to its id and batch count: lineage reads the batches.
const RUNS = `
  SELECT run_id, dataset, 'registered' AS outcome, version, NULL AS refusal_reason, metrics, champion_metrics,
         champion_version, backend, code_version, spec_revision, trigger, snapshot->>'id' AS snapshot_id,
         jsonb_array_length(snapshot->'batches') AS batch_count, artifact_key, created_at AS recorded_at
  FROM versions
  UNION ALL
  SELECT run_id, dataset, 'refused', NULL, reason, trained->'metrics', trained->'championMetrics',
         (trained->>'championVersion')::int, trained->>'backend', trained->>'codeVersion',
         (trained->>'specRevision')::int, trained->'trigger', trained->'snapshot'->>'id',
         jsonb_array_length(trained->'snapshot'->'batches'), artifact_key, refused_at
  FROM refused_runs`;

type RunRow = {
  run_id: string;
  dataset: string;
  outcome: "registered" | "refused";
  version: number | null;
  refusal_reason: string | null;
  metrics: RunRecord["metrics"];
  champion_metrics: RunRecord["championMetrics"];
  champion_version: number | null;
  backend: string;
  code_version: string | null;
  spec_revision: number;
  trigger: RunRecord["trigger"];
  snapshot_id: string;
  batch_count: number;
  artifact_key: string;
  recorded_at: Date;
};

function runRecord(row: RunRow): RunRecord {
  return {
    runId: row.run_id,
    dataset: row.dataset,
    outcome: row.outcome,
    version: row.version,
    refusalReason: row.refusal_reason,
    metrics: row.metrics,
    championMetrics: row.champion_metrics,
    championVersion: row.champion_version,
    backend: row.backend,
    codeVersion: row.code_version,
    specRevision: row.spec_revision,
    trigger: row.trigger,
    snapshotId: row.snapshot_id,
    batchCount: row.batch_count,
    artifactKey: row.artifact_key,
    recordedAt: row.recorded_at,
  };
}

/** Runs newest first, of one dataset or of all. */
export async function listRuns(pool: pg.Pool, dataset: string | null, limit: number): Promise<RunRecord[]> {
  const { rows } = await pool.query<RunRow>(
    `SELECT * FROM (${RUNS}) runs WHERE $1::text IS NULL OR dataset = $1
     ORDER BY recorded_at DESC, run_id LIMIT $2`,
    [dataset, limit],
  );
  return rows.map(runRecord);
}

export async function getRun(pool: pg.Pool, runId: string): Promise<RunRecord> {
  const { rows } = await pool.query<RunRow>(
    `SELECT * FROM (${RUNS}) runs WHERE run_id = $1 ORDER BY outcome DESC LIMIT 1`,
    [runId],
  );
  if (rows[0] === undefined) throw new RunNotFoundError(runId);
  return runRecord(rows[0]);
}

/** Records a run that will not be registered, with the reason; a repeat keeps the first row's time. */
export async function recordRefusedRun(pool: pg.Pool, trained: ModelTrained, reason: string): Promise<void> {
  await pool.query(
    `INSERT INTO refused_runs (run_id, dataset, artifact_key, reason, trained) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (run_id) DO UPDATE SET reason = EXCLUDED.reason, trained = EXCLUDED.trained`,
    [trained.runId, trained.dataset, trained.artifactKey, reason, JSON.stringify(trained)],
  );
}
