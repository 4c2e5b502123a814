import type { DatasetSpec } from "@gyre/spec";

export type TrainingPolicy = DatasetSpec["training"];
export type TriggerReason = "features" | "drift" | "manual";

/** What the trainer knows about a dataset when a trigger arrives (training_counters). */
export interface PolicyState {
  /** Labelled rows announced by features.updated, all time. */
  labelledRows: number;
  /** Of those, rows of batches that no run's snapshot held yet. */
  newLabelledRows: number;
  /** The run whose snapshot was recorded last; null before the first run. */
  lastSnapshotRunId: string | null;
  /** When the last run (not a reproduction) started; null before the first. */
  lastRunStartedAt: Date | null;
  now: Date;
}

export type TriggerDecision =
  | { decision: "train"; reason: string; notBefore: Date }
  | { decision: "skip"; reason: string; notBefore: Date };

/**
 * The spec's training policy applied to one trigger. The first model waits for `minRows` labelled rows; after a
 * run recorded a snapshot, new labelled rows since it count towards `retrainEveryRows` (0: never on row count);
 * drift trains when `onDrift` is set; a manual trigger always trains, at once. A trigger that would train within
 * `cooldownSeconds` of the last run's start is deferred to the end of the cooldown, not dropped.
 */
export function decideTrigger(policy: TrainingPolicy, reason: TriggerReason, state: PolicyState): TriggerDecision {
  if (reason === "manual") return { decision: "train", reason: "manual trigger", notBefore: state.now };
  if (reason === "drift" && !policy.onDrift) {
    return skip(state, "drift detected, but training.onDrift is false");
  }
  const due = reason === "features" ? rowsDue(policy, state) : firstModelDue(policy, state, "drift detected");
  if (!due.ok) return skip(state, due.reason);
  return { decision: "train", reason: due.reason, notBefore: cooldownEnd(policy, state) };
}

/** Whether pending `features` triggers still call for a run when claimed (an earlier run may have covered them). */
export function rowsDue(policy: TrainingPolicy, state: PolicyState): { ok: boolean; reason: string } {
  if (state.lastSnapshotRunId === null) return firstModelDue(policy, state, "new rows");
  if (policy.retrainEveryRows === 0) {
    return { ok: false, reason: "training.retrainEveryRows is 0: no retraining on new rows" };
  }
  const rows = `${state.newLabelledRows} new labelled rows since the snapshot of run ${state.lastSnapshotRunId}`;
  return state.newLabelledRows >= policy.retrainEveryRows
    ? { ok: true, reason: `${rows} (retrainEveryRows ${policy.retrainEveryRows})` }
    : { ok: false, reason: `${rows}, fewer than retrainEveryRows ${policy.retrainEveryRows}` };
}

function firstModelDue(policy: TrainingPolicy, state: PolicyState, what: string): { ok: boolean; reason: string } {
  if (state.lastSnapshotRunId !== null) return { ok: true, reason: what };
  return state.labelledRows >= policy.minRows
    ? { ok: true, reason: `${what}: ${state.labelledRows} labelled rows, minRows ${policy.minRows} for a first model` }
    : {
        ok: false,
        reason: `${what}: ${state.labelledRows} labelled rows, fewer than minRows ${policy.minRows} for a first model`,
      };
}

/** When the cooldown after the last run's start ends (now, when none runs). */
export function cooldownEnd(policy: TrainingPolicy, state: PolicyState): Date {
  if (state.lastRunStartedAt === null || policy.cooldownSeconds === 0) return state.now;
  const end = state.lastRunStartedAt.getTime() + policy.cooldownSeconds * 1000;
  return end > state.now.getTime() ? new Date(end) : state.now;
}

function skip(state: PolicyState, reason: string): TriggerDecision {
  return { decision: "skip", reason, notBefore: state.now };
}

/** Claims of one trigger at most: a trigger handed back after as many transiently failed runs stays with the last. */
export const MAX_ATTEMPTS = 3;
const RETRY_BACKOFF_MS = [5_000, 30_000] as const;

/** Delay before a trigger handed back by a transiently failed run (its `attempts`-th claim) is claimed again. */
export function retryDelayMs(attempts: number): number {
  return RETRY_BACKOFF_MS[Math.min(Math.max(attempts - 1, 0), RETRY_BACKOFF_MS.length - 1)] ?? 0;
}

/** The reason a run carrying these triggers records: drift over features, manual over both. */
export function runReason(reasons: readonly TriggerReason[]): TriggerReason {
  if (reasons.includes("manual")) return "manual";
  if (reasons.includes("drift")) return "drift";
  return "features";
}
