import { withTransaction } from "@gyre/db";
import type pg from "pg";
import {
  cooldownEnd,
  decideTrigger,
  type PolicyState,
  type TrainingPolicy,
  type TriggerDecision,
  type TriggerReason,
} from "./trainingPolicy.ts";

export interface TriggerInput {
  eventId: string;
  dataset: string;
  reason: TriggerReason;
  /** Stored with the trigger: the batch, the drifted features, who asked. */
  detail: Record<string, unknown>;
  /** features.updated: the batch it announced and its labelled rows, counted towards retrainEveryRows. */
  batch?: { batchId: string; labelledRows: number };
  /** drift.detected of a window of batches: the batches whose rows drifted. */
  drifted?: DriftedBatches;
}

/** A drift of a window of batches, and how long it waits for their features.updated to train on them in one run. */
export interface DriftedBatches {
  batchIds: readonly string[];
  waitForFeaturesMs: number;
}

export interface RecordedTrigger {
  eventId: string;
  dataset: string;
  reason: TriggerReason;
  decision: "train" | "skip";
  decisionReason: string;
  notBefore: Date;
  /** The run that claimed it, if one did. */
  runId: string | null;
  /** false when the trigger was recorded before (a redelivery): nothing changed. */
  created: boolean;
}

interface TriggerRow {
  event_id: string;
  dataset: string;
  reason: TriggerReason;
  decision: "train" | "skip";
  decision_reason: string;
  not_before: Date;
  run_id: string | null;
}

/**
 * Records a trigger once (by event id) with the training policy's decision, under the dataset's counters row lock,
 * so concurrent triggers of one dataset count rows and decide one after the other. A features.updated adds its
 * batch's labelled rows to the counters, unless the batch was announced before or the latest snapshot already
 * holds it. A redelivered trigger changes nothing and answers what was recorded.
 */
export function recordTrigger(pool: pg.Pool, policy: TrainingPolicy, input: TriggerInput): Promise<RecordedTrigger> {
  return withTransaction(pool, async (client) => {
    const state = await lockCounters(client, input.dataset);
    const earlier = await client.query<TriggerRow>("SELECT * FROM triggers WHERE event_id = $1", [input.eventId]);
    if (earlier.rows[0]) return recorded(earlier.rows[0], false);

    const counted = input.batch ? await countBatch(client, input, input.batch, state) : { duplicateOf: null, state };
    let decision: TriggerDecision =
      counted.duplicateOf === null
        ? decideTrigger(policy, input.reason, counted.state)
        : {
            decision: "skip",
            reason: `batch ${input.batch?.batchId} was announced before (event ${counted.duplicateOf})`,
            notBefore: state.now,
          };
    if (decision.decision === "train" && input.drifted && input.drifted.batchIds.length > 0) {
      decision = await coalesceDrift(client, input.dataset, input.drifted, decision, state.now);
    }
    if (input.batch && counted.duplicateOf === null) {
      await releaseWaitingDrift(client, input.dataset, cooldownEnd(policy, counted.state));
    }
    const { rows } = await client.query<TriggerRow>(
      `INSERT INTO triggers (event_id, dataset, reason, detail, decision, decision_reason, not_before)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [
        input.eventId,
        input.dataset,
        input.reason,
        JSON.stringify(input.detail),
        decision.decision,
        decision.reason,
        decision.notBefore,
      ],
    );
    return recorded(rows[0] as TriggerRow, true);
  });
}

/** The dataset's counters row, created if missing and locked until the transaction ends. */
export async function lockCounters(client: pg.PoolClient, dataset: string): Promise<PolicyState> {
  await client.query("INSERT INTO training_counters (dataset) VALUES ($1) ON CONFLICT (dataset) DO NOTHING", [dataset]);
  const { rows } = await client.query<{
    labelled_rows: string;
    new_labelled_rows: string;
    last_snapshot_run_id: string | null;
    last_run_started_at: Date | null;
    now: Date;
  }>(
    `SELECT labelled_rows, new_labelled_rows, last_snapshot_run_id, last_run_started_at, now() AS now
     FROM training_counters WHERE dataset = $1 FOR UPDATE`,
    [dataset],
  );
  const row = rows[0];
  if (!row) throw new Error(`training_counters has no row for dataset "${dataset}" right after inserting it`);
  return {
    labelledRows: Number(row.labelled_rows),
    newLabelledRows: Number(row.new_labelled_rows),
    lastSnapshotRunId: row.last_snapshot_run_id,
    lastRunStartedAt: row.last_run_started_at,
    now: row.now,
  };
}

/** Adds a newly announced batch to the counters; a batch the latest snapshot already holds counts as seen, not new. */
async function countBatch(
  client: pg.PoolClient,
  input: TriggerInput,
  batch: { batchId: string; labelledRows: number },
  state: PolicyState,
): Promise<{ duplicateOf: string | null; state: PolicyState }> {
  const inserted = await client.query(
    `INSERT INTO feature_batches (dataset, batch_id, labelled_rows, event_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (dataset, batch_id) DO NOTHING`,
    [input.dataset, batch.batchId, batch.labelledRows, input.eventId],
  );
  if (inserted.rowCount === 0) {
    const { rows } = await client.query<{ event_id: string }>(
      "SELECT event_id FROM feature_batches WHERE dataset = $1 AND batch_id = $2",
      [input.dataset, batch.batchId],
    );
    return { duplicateOf: rows[0]?.event_id ?? "unknown", state };
  }
  const covered = await inLatestSnapshot(client, input.dataset, batch.batchId, state.lastSnapshotRunId);
  if (covered) {
    await client.query("UPDATE feature_batches SET snapshot_run_id = $3 WHERE dataset = $1 AND batch_id = $2", [
      input.dataset,
      batch.batchId,
      state.lastSnapshotRunId,
    ]);
  }
  const added = covered ? 0 : batch.labelledRows;
  await client.query(
    `UPDATE training_counters SET labelled_rows = labelled_rows + $2, new_labelled_rows = new_labelled_rows + $3,
       updated_at = now() WHERE dataset = $1`,
    [input.dataset, batch.labelledRows, added],
  );
  return {
    duplicateOf: null,
    state: {
      ...state,
      labelledRows: state.labelledRows + batch.labelledRows,
      newLabelledRows: state.newLabelledRows + added,
    },
  };
}

/** Snapshots are cumulative (each holds every batch written before it), so the latest one is enough to look in. */
async function inLatestSnapshot(
  client: pg.PoolClient,
  dataset: string,
  batchId: string,
  runId: string | null,
): Promise<boolean> {
  if (runId === null) return false;
  const { rowCount } = await client.query(
    "SELECT 1 FROM runs WHERE run_id = $1 AND dataset = $2 AND snapshot_batches @> $3::jsonb",
    [runId, dataset, JSON.stringify([{ batchId }])],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * A drift of a window of batches wants a model trained on those batches. When the latest run (not failed) already
 * trained on every one of them, it is skipped: another run would train on the same rows. When some were not
 * announced by features.updated yet (monitoring saw them first), it waits for them, so the drift and the new rows
 * make one run: releaseWaitingDrift frees it when the last one is announced, after `waitForFeaturesMs` at the latest.
 */
async function coalesceDrift(
  client: pg.PoolClient,
  dataset: string,
  { batchIds, waitForFeaturesMs }: DriftedBatches,
  decision: TriggerDecision,
  now: Date,
): Promise<TriggerDecision> {
  const covering = await latestRunCovering(client, dataset, batchIds);
  if (covering !== null) {
    return { decision: "skip", reason: alreadyTrained(covering, batchIds), notBefore: now };
  }
  const { rows } = await client.query<{ batch_id: string }>(
    `SELECT b.id AS batch_id FROM unnest($2::text[]) AS b(id)
     WHERE NOT EXISTS (SELECT 1 FROM feature_batches f WHERE f.dataset = $1 AND f.batch_id = b.id)`,
    [dataset, [...batchIds]],
  );
  const missing = rows.map((row) => row.batch_id);
  if (missing.length === 0) return decision;
  const waitUntil = new Date(now.getTime() + waitForFeaturesMs);
  return {
    decision: "train",
    reason: `${decision.reason}; waits for features.updated of ${missing.length} drifted batch(es) (${missing
      .slice(0, 3)
      .join(", ")}${missing.length > 3 ? ", ..." : ""}) until ${waitUntil.toISOString()}, to train on them in one run`,
    notBefore: waitUntil > decision.notBefore ? waitUntil : decision.notBefore,
  };
}

/** The latest ordinary run, not failed, with a recorded snapshot, if that snapshot holds every one of `batchIds`. */
export async function latestRunCovering(
  client: pg.PoolClient,
  dataset: string,
  batchIds: readonly string[],
): Promise<string | null> {
  const { rows } = await client.query<{ run_id: string; covers: boolean }>(
    `SELECT run_id, snapshot_batches @> (SELECT jsonb_agg(jsonb_build_object('batchId', id)) FROM unnest($2::text[]) AS id)
       AS covers
     FROM runs WHERE dataset = $1 AND reproduces IS NULL AND status <> 'failed' AND snapshot_batches IS NOT NULL
     ORDER BY started_at DESC LIMIT 1`,
    [dataset, [...batchIds]],
  );
  const latest = rows[0];
  return latest?.covers ? latest.run_id : null;
}

export function alreadyTrained(runId: string, batchIds: readonly string[]): string {
  return `run ${runId} already trained on the ${batchIds.length} batch(es) whose window drifted`;
}

/** Drift triggers that waited for features.updated of their batches may be claimed once every one was announced. */
async function releaseWaitingDrift(client: pg.PoolClient, dataset: string, notBefore: Date): Promise<void> {
  await client.query(
    `UPDATE triggers t SET not_before = greatest($2::timestamptz, now())
     WHERE t.dataset = $1 AND t.reason = 'drift' AND t.decision = 'train' AND t.run_id IS NULL AND t.not_before > now()
       AND t.attempts = 0 AND jsonb_typeof(t.detail->'batchIds') = 'array'
       AND NOT EXISTS (
         SELECT 1 FROM jsonb_array_elements_text(t.detail->'batchIds') AS b(id)
         WHERE NOT EXISTS (SELECT 1 FROM feature_batches f WHERE f.dataset = $1 AND f.batch_id = b.id))`,
    [dataset, notBefore],
  );
}

function recorded(row: TriggerRow, created: boolean): RecordedTrigger {
  return {
    eventId: row.event_id,
    dataset: row.dataset,
    reason: row.reason,
    decision: row.decision,
    decisionReason: row.decision_reason,
    notBefore: row.not_before,
    runId: row.run_id,
    created,
  };
}

/** Pending triggers per dataset (decided `train`, in no run yet), for the gauge. */
export async function pendingCounts(pool: pg.Pool): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ dataset: string; pending: number }>(
    `SELECT dataset, count(*)::int AS pending FROM triggers WHERE decision = 'train' AND run_id IS NULL
     GROUP BY dataset`,
  );
  return new Map(rows.map((row) => [row.dataset, row.pending]));
}

export interface RunsPerBatch {
  dataset: string;
  /** Ordinary runs started (reproductions left out), whatever their outcome. */
  runs: number;
  /** Batches announced by features.updated. */
  batches: number;
}

/** Runs started per batch announced, per dataset that announced one: what "one run per batch" is measured by. */
export async function runsPerBatch(pool: pg.Pool): Promise<RunsPerBatch[]> {
  const { rows } = await pool.query<RunsPerBatch>(
    `SELECT f.dataset, count(*)::int AS batches,
       (SELECT count(*)::int FROM runs r WHERE r.dataset = f.dataset AND r.reproduces IS NULL) AS runs
     FROM feature_batches f GROUP BY f.dataset ORDER BY f.dataset`,
  );
  return rows;
}

/** Datasets that need a lock holder: eligible pending triggers, or a run marked running (perhaps by a dead process). */
export async function datasetsToSweep(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ dataset: string }>(
    `SELECT dataset FROM triggers WHERE decision = 'train' AND run_id IS NULL AND not_before <= now()
     UNION SELECT dataset FROM runs WHERE status = 'running' ORDER BY dataset`,
  );
  return rows.map((row) => row.dataset);
}

/** Whether the dataset has pending triggers that may be claimed now. */
export async function hasEligiblePending(pool: pg.Pool, dataset: string): Promise<boolean> {
  const { rowCount } = await pool.query(
    `SELECT 1 FROM triggers WHERE dataset = $1 AND decision = 'train' AND run_id IS NULL AND not_before <= now()
     LIMIT 1`,
    [dataset],
  );
  return (rowCount ?? 0) > 0;
}

/** Milliseconds until the dataset's earliest deferred trigger may be claimed; null when none waits. */
export async function nextDeferredInMs(pool: pg.Pool, dataset: string): Promise<number | null> {
  const { rows } = await pool.query<{ wait_ms: number | null }>(
    `SELECT ceil(extract(epoch FROM min(not_before) - now()) * 1000)::float8 AS wait_ms FROM triggers
     WHERE dataset = $1 AND decision = 'train' AND run_id IS NULL`,
    [dataset],
  );
  const wait = rows[0]?.wait_ms;
  return wait === null || wait === undefined ? null : Math.max(0, wait);
}

/** Pending triggers that can never run (the dataset's spec was removed) become skipped with the reason. */
export async function skipPending(pool: pg.Pool, dataset: string, reason: string): Promise<number> {
  const { rowCount } = await pool.query(
    `UPDATE triggers SET decision = 'skip', decision_reason = $2
     WHERE dataset = $1 AND decision = 'train' AND run_id IS NULL`,
    [dataset, reason],
  );
  return rowCount ?? 0;
}
