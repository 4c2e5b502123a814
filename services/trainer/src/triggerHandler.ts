import { type EventHandler, PermanentError } from "@gyre/bus";
import type { GyreEvent } from "@gyre/contracts";
import type { Logger } from "@gyre/log";
import { type SpecStore, UnknownDatasetError } from "@gyre/spec";
import { ATTR, LABEL } from "@gyre/telemetry";
import type { SpanContext } from "@opentelemetry/api";
import type pg from "pg";
import type { TrainerMetrics } from "./metrics.ts";
import type { TrainingRunner } from "./runner.ts";
import { type RecordedTrigger, recordTrigger, type TriggerInput } from "./triggers.ts";

export interface TriggerDeps {
  pool: pg.Pool;
  specs: SpecStore;
  runner: TrainingRunner;
  log: Logger;
  metrics: TrainerMetrics;
  /** How long a drift of a window of batches waits for their features.updated, to train on them in one run. */
  driftWaitMs: number;
}

/**
 * features.updated and drift.detected: records the trigger with the policy's decision (once per event id) and, when
 * it says train, kicks the runner, which starts a run or leaves the trigger pending for the follow-up run of the
 * one in progress (then the handler acks at once). A dataset without a spec is dead-lettered.
 */
export function triggerHandler(deps: TriggerDeps): EventHandler {
  return async (event, ctx) => {
    const trigger = triggerOf(
      event as GyreEvent<"features.updated" | "drift.detected">,
      ctx.span.spanContext(),
      deps.driftWaitMs,
    );
    ctx.span.setAttributes({ [ATTR.dataset]: trigger.dataset, [ATTR.eventId]: trigger.eventId });
    const recorded = await record(deps, trigger);
    if (recorded.created) {
      deps.metrics.triggers.inc({
        [LABEL.dataset]: recorded.dataset,
        [LABEL.reason]: recorded.reason,
        [LABEL.outcome]: recorded.decision,
      });
    }
    const fields = {
      dataset: recorded.dataset,
      eventId: recorded.eventId,
      reason: recorded.reason,
      decision: recorded.decision,
      decisionReason: recorded.decisionReason,
      redelivered: !recorded.created,
    };
    if (recorded.decision === "skip" || recorded.runId !== null) {
      deps.log.info({ event: "trigger.recorded", ...fields, runId: recorded.runId }, "trigger recorded");
      return;
    }
    const kicked = await deps.runner.kick(recorded.dataset);
    if (kicked.kind === "queued") await deps.runner.refreshPendingGauge();
    deps.log.info(
      {
        event: kicked.kind === "queued" ? "trigger.pending" : "trigger.recorded",
        ...fields,
        ...(kicked.kind === "started" ? { runId: kicked.runId } : {}),
        ...(kicked.kind === "queued" ? { runningRunId: kicked.runningRunId } : {}),
        notBefore: recorded.notBefore.toISOString(),
      },
      kicked.kind === "queued" ? "trigger pending: a run is in progress" : "trigger recorded",
    );
    // Held until the run it started is over, so a SIGTERM drain (which waits for handlers before closing NATS)
    // lets the run finish and publish model.trained. The runner itself never rejects.
    if (kicked.kind === "started") await kicked.finished;
    else if (kicked.kind === "queued") await ownRunInProcess(deps, recorded);
  };
}

/**
 * A drain of this process (a sweep, say) may have claimed the trigger between its commit and the kick: then hold
 * on for that run as if this handler had started it. A trigger still pending (the burst during a run) returns at
 * once, so pending triggers never hold the consumer's slots.
 */
async function ownRunInProcess(deps: TriggerDeps, trigger: RecordedTrigger): Promise<void> {
  const { rows } = await deps.pool.query<{ run_id: string | null }>("SELECT run_id FROM triggers WHERE event_id = $1", [
    trigger.eventId,
  ]);
  const runId = rows[0]?.run_id ?? null;
  if (runId !== null) await deps.runner.whenRunEnds(trigger.dataset, runId);
}

function triggerOf(
  event: GyreEvent<"features.updated" | "drift.detected">,
  span: SpanContext,
  driftWaitMs: number,
): TriggerInput {
  const trace = { traceId: span.traceId, spanId: span.spanId, traceFlags: span.traceFlags };
  if (event.type === "features.updated") {
    const { batchId, labelledRows, rowsWritten, watermark, specRevision } = event.data;
    return {
      eventId: event.id,
      dataset: event.data.dataset,
      reason: "features",
      detail: { batchId, labelledRows, rowsWritten, watermark, specRevision, trace },
      batch: { batchId, labelledRows },
    };
  }
  const { kind, features, share, threshold, modelVersion, reportKey, window } = event.data;
  return {
    eventId: event.id,
    dataset: event.data.dataset,
    reason: "drift",
    detail: {
      kind,
      features: features.map((feature) => feature.name),
      share,
      threshold,
      modelVersion,
      reportKey,
      ...(window.batchIds ? { batchIds: window.batchIds } : {}),
      trace,
    },
    ...(window.batchIds ? { drifted: { batchIds: window.batchIds, waitForFeaturesMs: driftWaitMs } } : {}),
  };
}

async function record(deps: TriggerDeps, trigger: TriggerInput): Promise<RecordedTrigger> {
  let policy: Awaited<ReturnType<SpecStore["current"]>>["spec"]["training"];
  try {
    policy = (await deps.specs.current(trigger.dataset)).spec.training;
  } catch (error) {
    if (error instanceof UnknownDatasetError) throw new PermanentError(`${trigger.eventId}: ${error.message}`);
    throw error;
  }
  return recordTrigger(deps.pool, policy, trigger);
}
