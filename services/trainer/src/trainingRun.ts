import { createHash } from "node:crypto";
import type { ArtifactStore } from "@gyre/artifacts";
import { type Bus, recordSpanError } from "@gyre/bus";
import type { FeatureStoreClient, ModelRegistryClient } from "@gyre/grpc";
import type { Logger } from "@gyre/log";
import { BUNDLE_FILES, disposeBundle, saveBundle } from "@gyre/model";
import { ATTR, LABEL } from "@gyre/telemetry";
import { type Link, ROOT_CONTEXT, type SpanContext, SpanKind, trace } from "@opentelemetry/api";
import type pg from "pg";
import { awaitRegistered, championOf, evaluateChampion, finiteMetrics } from "./champion.ts";
import { type DatasetLock, LockLostError } from "./datasetLock.ts";
import { classifyFailure } from "./failures.ts";
import type { EpochLog } from "./fit.ts";
import type { TrainerMetrics } from "./metrics.ts";
import { ProgressReporter } from "./progress.ts";
import {
  getRun,
  latestPublishedRunId,
  type Metrics,
  type RunStart,
  recordFailure,
  recordSnapshot,
  recordSuccess,
} from "./runRecords.ts";
import { trainModel } from "./train.ts";
import { publishTrained } from "./trainedEvent.ts";
import { MAX_ATTEMPTS, retryDelayMs } from "./trainingPolicy.ts";
import { exportRequest, exportTrainingSet, type TrainingSet } from "./trainingSet.ts";

export interface RunDeps {
  pool: pg.Pool;
  bus: Bus;
  store: ArtifactStore;
  featureStore: FeatureStoreClient;
  registry: ModelRegistryClient;
  log: Logger;
  metrics: TrainerMetrics;
  /** How long an export may stream. */
  exportDeadlineMs: number;
  /** How long a run waits for the registry to take in the dataset's previous run before asking for the champion. */
  registryWaitMs: number;
}

export interface RunOptions {
  /** Replays this snapshot (a reproduction); null records a new one with the spec's window and holdout share. */
  snapshotId: string | null;
  /** Trace contexts of the triggers: the first is the run span's parent, all are its links. */
  triggerSpans?: readonly SpanContext[];
}

export type RunOutcome =
  | { status: "succeeded"; runId: string; metrics: Metrics; weightsSha256: string; artifactKey: string }
  | { status: "failed"; runId: string; error: string; kind: string; permanent: boolean };

/** S3 key prefix of a run's model bundle. */
export function artifactKeyOf(dataset: string, runId: string): string {
  return `models/${dataset}/${runId}`;
}

/**
 * One training run, start to outcome, while the caller holds the dataset lock: export the training set (a new
 * snapshot, or the recorded one for a reproduction), train on it with progress events, score the registry's
 * champion on the same holdout, save the bundle to S3, record the outcome, and publish model.trained (not for a
 * reproduction). A failure is recorded with its reason and kind and never thrown: a permanent one (the data or spec
 * cannot make a model, the champion's artifact is unusable) publishes nothing; a transient one hands the triggers
 * back to be claimed again after a delay.
 */
export async function executeRun(
  deps: RunDeps,
  run: RunStart,
  lock: DatasetLock,
  options: RunOptions,
): Promise<RunOutcome> {
  const [parent] = options.triggerSpans ?? [];
  const links: Link[] = (options.triggerSpans ?? []).map((context) => ({ context }));
  const parentContext = parent ? trace.setSpanContext(ROOT_CONTEXT, parent) : ROOT_CONTEXT;
  return trace.getTracer("@gyre/trainer").startActiveSpan(
    `training.run ${run.dataset}`,
    {
      kind: SpanKind.INTERNAL,
      links,
      attributes: {
        [ATTR.dataset]: run.dataset,
        [ATTR.runId]: run.runId,
        [ATTR.specRevision]: run.specRevision,
        [ATTR.tfBackend]: run.backend,
      },
    },
    parentContext,
    async (span) => {
      try {
        const outcome = await runSteps(deps, run, lock, options);
        if (outcome.status === "failed") recordSpanError(span, new Error(outcome.error));
        return outcome;
      } finally {
        span.end();
      }
    },
  );
}

async function runSteps(deps: RunDeps, run: RunStart, lock: DatasetLock, options: RunOptions): Promise<RunOutcome> {
  const { log, metrics } = deps;
  const started = performance.now();
  const fields = { dataset: run.dataset, runId: run.runId };
  const epochs: EpochLog[] = [];
  metrics.running.inc({ [LABEL.dataset]: run.dataset });
  log.info(
    {
      event: "run.started",
      ...fields,
      trigger: run.trigger,
      specRevision: run.specRevision,
      reproduces: run.reproduces,
    },
    "training run started",
  );
  try {
    const set = await exportTrainingSet(
      deps.featureStore,
      exportRequest(run.spec, options.snapshotId),
      deps.exportDeadlineMs,
    );
    const rows = { train: set.trainRows.length, holdout: set.holdoutRows.length };
    await recordSnapshot(deps.pool, run, set.snapshot, rows);
    log.info(
      {
        event: "run.snapshot",
        ...fields,
        snapshotId: set.snapshot.id,
        batches: set.snapshot.batches.length,
        columnsRevision: set.columnsRevision,
        ...rows,
      },
      "training set exported",
    );
    const success = await trainAndSave(deps, run, set, epochs);
    await lock.assertHeld();
    const durationMs = performance.now() - started;
    if (!(await recordSuccess(deps.pool, run.runId, { ...success, durationMs, epochs }))) {
      throw new LockLostError(run.dataset);
    }
    observe(deps, run, "succeeded", durationMs);
    log.info(
      {
        event: "run.succeeded",
        ...fields,
        durationMs: Math.round(durationMs),
        metrics: success.metrics,
        championVersion: success.championVersion,
        championMetrics: success.championMetrics,
        artifactKey: success.artifactKey,
      },
      "training run succeeded",
    );
    if (run.reproduces === null) await publishRun(deps, run.runId);
    return { status: "succeeded", runId: run.runId, ...success };
  } catch (error) {
    return await fail(deps, run, error, epochs, performance.now() - started);
  } finally {
    metrics.running.dec({ [LABEL.dataset]: run.dataset });
  }
}

async function trainAndSave(deps: RunDeps, run: RunStart, set: TrainingSet, epochs: EpochLog[]) {
  const progress = new ProgressReporter(deps.bus, deps.log, {
    runId: run.runId,
    dataset: run.dataset,
    epochs: run.spec.model.epochs,
  });
  const trained = await trainModel({
    spec: run.spec,
    trainRows: set.trainRows,
    holdoutRows: set.holdoutRows,
    run: {
      runId: run.runId,
      specRevision: run.specRevision,
      snapshotId: set.snapshot.id,
      codeVersion: run.codeVersion,
    },
    onEpoch: (epoch) => {
      epochs.push(epoch);
      progress.epoch(epoch);
    },
  }).finally(() => progress.flush());
  try {
    const champion = run.reproduces === null ? await scoreChampion(deps, run, set) : null;
    const artifactKey = artifactKeyOf(run.dataset, run.runId);
    await saveBundle(deps.store, artifactKey, trained.bundle);
    const weights = await deps.store.getBuffer(`${artifactKey}/${BUNDLE_FILES.weights}`);
    return {
      metrics: finiteMetrics(trained.metrics),
      championVersion: champion?.version ?? null,
      championMetrics: champion?.metrics ?? null,
      artifactKey,
      weightsSha256: createHash("sha256").update(weights).digest("hex"),
    };
  } finally {
    disposeBundle(trained.bundle);
  }
}

/** The registry's champion scored on the run's holdout, after the registry took in the dataset's previous run. */
async function scoreChampion(deps: RunDeps, run: RunStart, set: TrainingSet) {
  const previous = await latestPublishedRunId(deps.pool, run.dataset, run.runId);
  if (previous !== null && !(await awaitRegistered(deps.registry, previous, deps.registryWaitMs))) {
    deps.log.warn(
      { event: "run.registry_behind", dataset: run.dataset, runId: run.runId, previousRunId: previous },
      "the registry has not taken in the previous run yet; comparing with its champion as it is now",
    );
  }
  const champion = await championOf(deps.registry, run.dataset);
  if (champion === null) return null;
  return {
    version: champion.version,
    metrics: await evaluateChampion(deps.store, run.dataset, champion, set.holdoutRows),
  };
}

async function publishRun(deps: RunDeps, runId: string): Promise<void> {
  try {
    await publishTrained(deps.bus, deps.pool, await getRun(deps.pool, runId));
  } catch (err) {
    // The run stays succeeded and unpublished: the next sweep (or start) publishes it, under the same event id.
    deps.log.error({ err, event: "run.publish_failed", runId }, "model.trained not published; will retry");
  }
}

async function fail(
  deps: RunDeps,
  run: RunStart,
  error: unknown,
  epochs: readonly EpochLog[],
  durationMs: number,
): Promise<RunOutcome> {
  const failure = classifyFailure(error);
  const { rows } = await deps.pool.query<{ attempts: number }>(
    "SELECT coalesce(max(attempts), 0)::int AS attempts FROM triggers WHERE run_id = $1",
    [run.runId],
  );
  const attempts = rows[0]?.attempts ?? 0;
  const handedBack = await recordFailure(deps.pool, run.runId, {
    error: failure.message,
    kind: failure.kind,
    durationMs,
    epochs,
    retryAfterMs: failure.permanent ? null : retryDelayMs(attempts),
    maxAttempts: MAX_ATTEMPTS,
  });
  observe(deps, run, "failed", durationMs);
  deps.log.warn(
    {
      event: "run.failed",
      dataset: run.dataset,
      runId: run.runId,
      kind: failure.kind,
      permanent: failure.permanent,
      reason: failure.message,
      triggersHandedBack: handedBack,
      ...(failure.permanent ? {} : { err: error }),
    },
    "training run failed",
  );
  return {
    status: "failed",
    runId: run.runId,
    error: failure.message,
    kind: failure.kind,
    permanent: failure.permanent,
  };
}

function observe(deps: RunDeps, run: RunStart, outcome: "succeeded" | "failed", durationMs: number): void {
  const labels = { [LABEL.dataset]: run.dataset, [LABEL.outcome]: outcome };
  deps.metrics.runs.inc(labels);
  deps.metrics.trainingDuration.observe(labels, durationMs / 1000);
}
