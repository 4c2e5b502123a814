import { randomBytes } from "node:crypto";
import { withTransaction } from "@gyre/db";
import type { SpecRevision } from "@gyre/spec";
import { isSpanContextValid, type SpanContext } from "@opentelemetry/api";
import type pg from "pg";
import { insertRun, type RunStart } from "./runRecords.ts";
import { MAX_ATTEMPTS, rowsDue, runReason, type TriggerReason } from "./trainingPolicy.ts";
import { alreadyTrained, latestRunCovering, lockCounters } from "./triggers.ts";

export interface RunEnvironment {
  codeVersion: string;
  backend: string;
  tfjsVersion: string;
}

export interface Claim {
  /** The run started for the claimed triggers; null when none was due. */
  run: RunStart | null;
  /** Runs left `running` by a process that died, now failed. */
  interrupted: string[];
  /** Pending `features` triggers that an earlier snapshot had covered by the time they were claimed. */
  covered: number;
  /** Trace contexts the claimed triggers arrived with, oldest first. */
  triggerSpans: SpanContext[];
}

/** `run-20240501T120000Z-1a2b3c4d`: sortable by start, unique across replicas. */
export function newRunId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  return `run-${stamp}-${randomBytes(4).toString("hex")}`;
}

/**
 * Starts the dataset's next run, if one is due: ONLY the holder of the dataset lock calls this, so this is the one
 * place triggers are claimed. In one transaction: runs left `running` (their process died, or the lock would not
 * have been free) become failed, their triggers handed back; then every pending trigger that may be claimed now is
 * attached to one new run. Only `features` triggers are checked again (an earlier run's snapshot may already hold
 * their rows); drift and manual triggers always train.
 */
export function claimRun(pool: pg.Pool, spec: SpecRevision, environment: RunEnvironment): Promise<Claim> {
  const dataset = spec.dataset;
  return withTransaction(pool, async (client) => {
    const state = await lockCounters(client, dataset);
    const interrupted = await failInterruptedRuns(client, dataset);
    const coveredDrift = await skipCoveredDrift(client, dataset);
    const { rows: pending } = await client.query<{ event_id: string; reason: TriggerReason; trace: unknown }>(
      `SELECT event_id, reason, detail->'trace' AS trace FROM triggers
       WHERE dataset = $1 AND decision = 'train' AND run_id IS NULL AND not_before <= now()
       ORDER BY received_at, event_id FOR UPDATE`,
      [dataset],
    );
    if (pending.length === 0) return { run: null, interrupted, covered: coveredDrift, triggerSpans: [] };
    const eventIds = pending.map((trigger) => trigger.event_id);
    const reason = runReason(pending.map((trigger) => trigger.reason));
    if (reason === "features") {
      const due = rowsDue(spec.spec.training, state);
      if (!due.ok) {
        await client.query(
          "UPDATE triggers SET decision = 'skip', decision_reason = $2 WHERE event_id = ANY($1::text[])",
          [eventIds, `when claimed: ${due.reason}`],
        );
        return { run: null, interrupted, covered: coveredDrift + eventIds.length, triggerSpans: [] };
      }
    }
    const run: RunStart = {
      runId: newRunId(state.now),
      dataset,
      trigger: { reason, eventIds },
      reproduces: null,
      specRevision: spec.revision,
      spec: spec.spec,
      ...environment,
    };
    await insertRun(client, run);
    await client.query("UPDATE triggers SET run_id = $2, attempts = attempts + 1 WHERE event_id = ANY($1::text[])", [
      eventIds,
      run.runId,
    ]);
    await client.query(
      "UPDATE training_counters SET last_run_started_at = now(), updated_at = now() WHERE dataset = $1",
      [dataset],
    );
    return {
      run,
      interrupted,
      covered: coveredDrift,
      triggerSpans: pending.flatMap((trigger) => spanContextOf(trigger.trace)),
    };
  });
}

/** Records a reproduction of `original` as a run of its own (trigger "reproduce"); the caller holds the dataset lock. */
export function startReproduction(
  pool: pg.Pool,
  original: Pick<RunStart, "runId" | "dataset" | "specRevision" | "spec">,
  environment: RunEnvironment,
): Promise<{ run: RunStart; interrupted: string[] }> {
  return withTransaction(pool, async (client) => {
    await lockCounters(client, original.dataset);
    const interrupted = await failInterruptedRuns(client, original.dataset);
    const run: RunStart = {
      runId: newRunId(),
      dataset: original.dataset,
      trigger: { reason: "reproduce", eventIds: [] },
      reproduces: original.runId,
      specRevision: original.specRevision,
      spec: original.spec,
      ...environment,
    };
    await insertRun(client, run);
    return { run, interrupted };
  });
}

/**
 * Pending drift triggers whose drifted batches the latest run (the one that just ended, typically: started for the
 * same batches' features.updated) trained on are skipped with that reason, so one batch makes one run.
 */
async function skipCoveredDrift(client: pg.PoolClient, dataset: string): Promise<number> {
  const { rows } = await client.query<{ event_id: string; batch_ids: string[] }>(
    `SELECT event_id, detail->'batchIds' AS batch_ids FROM triggers
     WHERE dataset = $1 AND reason = 'drift' AND decision = 'train' AND run_id IS NULL
       AND jsonb_typeof(detail->'batchIds') = 'array' AND jsonb_array_length(detail->'batchIds') > 0
     FOR UPDATE`,
    [dataset],
  );
  let skipped = 0;
  for (const trigger of rows) {
    const covering = await latestRunCovering(client, dataset, trigger.batch_ids);
    if (covering === null) continue;
    await client.query("UPDATE triggers SET decision = 'skip', decision_reason = $2 WHERE event_id = $1", [
      trigger.event_id,
      `when claimed: ${alreadyTrained(covering, trigger.batch_ids)}`,
    ]);
    skipped++;
  }
  return skipped;
}

async function failInterruptedRuns(client: pg.PoolClient, dataset: string): Promise<string[]> {
  const { rows } = await client.query<{ run_id: string }>(
    `UPDATE runs SET status = 'failed', error_kind = 'interrupted', finished_at = now(),
       error = 'interrupted: the trainer running it stopped (its PostgreSQL session, and with it the dataset lock, ended) before the run finished'
     WHERE dataset = $1 AND status = 'running' RETURNING run_id`,
    [dataset],
  );
  const interrupted = rows.map((row) => row.run_id);
  if (interrupted.length > 0) {
    await client.query(
      "UPDATE triggers SET run_id = NULL, not_before = now() WHERE run_id = ANY($1::text[]) AND attempts < $2",
      [interrupted, MAX_ATTEMPTS],
    );
  }
  return interrupted;
}

/** A trigger's stored trace context (`detail.trace`), if it is a valid one. */
function spanContextOf(stored: unknown): SpanContext[] {
  const candidate = stored as Partial<SpanContext> | null;
  if (typeof candidate?.traceId !== "string" || typeof candidate.spanId !== "string") return [];
  const context: SpanContext = {
    traceId: candidate.traceId,
    spanId: candidate.spanId,
    traceFlags: typeof candidate.traceFlags === "number" ? candidate.traceFlags : 0,
    isRemote: true,
  };
  return isSpanContextValid(context) ? [context] : [];
}
