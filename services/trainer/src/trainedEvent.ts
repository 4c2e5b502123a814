import type { Bus } from "@gyre/bus";
import { type CloudEvent, type ModelTrained, newEvent } from "@gyre/contracts";
import type pg from "pg";
import { markPublished, type RunRecord } from "./runRecords.ts";

export const EVENT_SOURCE = "gyre/trainer";
/** model.trained carries at most this many trigger event ids (the newest); the run record keeps them all. */
const MAX_EVENT_IDS = 1000;

export class UnpublishableRunError extends Error {
  override name = "UnpublishableRunError";
}

/** The model.trained of a succeeded run; its id `trained-<runId>` makes a republish a duplicate JetStream drops. */
export function trainedEvent(run: RunRecord): CloudEvent<ModelTrained> {
  if (run.status !== "succeeded" || run.metrics === null || run.artifactKey === null || run.snapshot === null) {
    throw new UnpublishableRunError(`run "${run.runId}" is ${run.status}, not a succeeded run with an artifact`);
  }
  const reason = run.trigger.reason;
  const data: ModelTrained = {
    runId: run.runId,
    dataset: run.dataset,
    candidateVersion: null,
    metrics: run.metrics,
    championMetrics: run.championMetrics,
    championVersion: run.championVersion,
    artifactKey: run.artifactKey,
    snapshot: run.snapshot,
    specRevision: run.specRevision,
    backend: run.backend,
    codeVersion: run.codeVersion.slice(0, 100),
    trigger: { reason, eventIds: run.trigger.eventIds.slice(-MAX_EVENT_IDS) },
  };
  return newEvent("model.trained", EVENT_SOURCE, data, { id: `trained-${run.runId}` });
}

/** Publishes the run's model.trained and records that it went out. Safe to repeat. */
export async function publishTrained(bus: Bus, pool: pg.Pool, run: RunRecord): Promise<void> {
  await bus.publish(trainedEvent(run), run.dataset);
  await markPublished(pool, run.runId);
}
