import { type SpecRevision, type SpecStore, UnknownDatasetError } from "@gyre/spec";
import { LABEL } from "@gyre/telemetry";
import { DatasetLock } from "./datasetLock.ts";
import { claimRun, type RunEnvironment } from "./runClaims.ts";
import { getRun, runningRunId, unpublishedRunIds } from "./runRecords.ts";
import { publishTrained } from "./trainedEvent.ts";
import { executeRun, type RunDeps } from "./trainingRun.ts";
import {
  datasetsToSweep,
  hasEligiblePending,
  nextDeferredInMs,
  pendingCounts,
  runsPerBatch,
  skipPending,
} from "./triggers.ts";

export interface RunnerDeps extends RunDeps {
  specs: SpecStore;
  databaseUrl: string;
  namespace: string;
  environment: RunEnvironment;
  /** How often every replica looks for work nobody is doing: pending triggers, runs of dead processes, unpublished runs. */
  sweepIntervalMs: number;
}

/** What a kick did: started a run, found one in progress (the trigger waits for the follow-up), or found nothing due. */
export type KickResult =
  /** `finished` settles when this kick's drain (the run and any follow-ups) is over. */
  | { kind: "started"; runId: string; finished: Promise<void> }
  | { kind: "queued"; runningRunId: string | null }
  | { kind: "idle" };

interface Drain {
  /** Set by a kick that arrives while this drain is on: look for pending triggers once more before ending. */
  again: boolean;
  runId: string | null;
  settle: (result: KickResult | { kind: "started"; runId: string }) => void;
  /** Settles when the drain is over. */
  finished: Promise<void>;
}

/**
 * Runs the trainings of this process, one dataset at a time per dataset (across replicas, by the dataset lock).
 *
 * Coalescing, and why exactly one follow-up run starts: triggers are recorded as pending rows first (triggers.ts),
 * then `kick` tries the dataset lock. Only the lock holder claims, and a claim takes every pending trigger at once
 * into one new run (runClaims.ts). A trigger that finds the lock taken is simply left pending; the holder, after
 * each run, claims again (so everything that arrived during the run becomes ONE follow-up run), and after releasing
 * the lock looks for pending triggers once more and, if it finds any, tries the lock again. A trigger is committed
 * before its kick tries the lock, so either the holder's last look sees it, or its own try comes after the release
 * and succeeds: no trigger is left behind. In this process a second kick of a dataset does not even try the lock:
 * it flags the running drain to look again. The periodic sweep is the safety net (a holder that crashed, a hash
 * collision between two datasets' keys, a cooldown that ended): it kicks every dataset with work due.
 */
export class TrainingRunner {
  readonly #drains = new Map<string, Drain>();
  readonly #finished = new Set<Promise<void>>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  #sweeper: NodeJS.Timeout | undefined;
  #stopping = false;

  constructor(readonly deps: RunnerDeps) {}

  /** Starts the periodic sweep, after one right away (which also publishes runs a dead process left unpublished). */
  start(): void {
    void this.sweep();
    this.#sweeper = setInterval(() => void this.sweep(), this.deps.sweepIntervalMs);
    this.#sweeper.unref();
  }

  /** Looks for due work of the dataset and does it in the background; resolves once it is known what happened. */
  kick(dataset: string): Promise<KickResult> {
    const running = this.#drains.get(dataset);
    if (running) {
      running.again = true;
      return Promise.resolve({ kind: "queued", runningRunId: running.runId });
    }
    if (this.#stopping) return Promise.resolve({ kind: "queued", runningRunId: null });
    return new Promise((resolve) => {
      let settled = false;
      const drain: Drain = {
        again: false,
        runId: null,
        settle: (result) => {
          if (settled) return;
          settled = true;
          resolve(result.kind === "started" ? { ...result, finished: drain.finished } : result);
        },
        finished: Promise.resolve(),
      };
      this.#drains.set(dataset, drain);
      const finished = this.#drain(dataset, drain)
        .catch((err: unknown) => {
          this.#drains.delete(dataset);
          this.deps.log.error({ err, event: "runner.failed", dataset }, "training runner failed; the sweep retries");
        })
        .finally(() => {
          drain.settle({ kind: "idle" });
          this.#finished.delete(finished);
          void this.#afterDrain(dataset);
        });
      drain.finished = finished;
      this.#finished.add(finished);
    });
  }

  /** When `runId` is the run this process is running now: a promise that settles when its drain is over. */
  whenRunEnds(dataset: string, runId: string): Promise<void> | null {
    const drain = this.#drains.get(dataset);
    return drain?.runId === runId ? drain.finished : null;
  }

  async #drain(dataset: string, drain: Drain): Promise<void> {
    const { deps } = this;
    for (;;) {
      drain.again = false;
      const lock = await DatasetLock.tryAcquire(deps.databaseUrl, deps.namespace, dataset, deps.log);
      if (!lock) {
        this.#drains.delete(dataset);
        drain.settle({ kind: "queued", runningRunId: await runningRunId(deps.pool, dataset) });
        deps.log.debug({ event: "runner.lock_busy", dataset }, "another trainer holds the dataset lock");
        return;
      }
      try {
        while (!this.#stopping) {
          const spec = await this.#specOf(dataset);
          if (spec === null) break;
          const claim = await claimRun(deps.pool, spec, deps.environment);
          if (claim.interrupted.length > 0 || claim.covered > 0) {
            deps.log.info(
              { event: "runner.claim", dataset, interrupted: claim.interrupted, covered: claim.covered },
              "runs of a stopped trainer failed, or pending triggers were already covered",
            );
          }
          if (!claim.run) break;
          drain.runId = claim.run.runId;
          drain.settle({ kind: "started", runId: claim.run.runId });
          await this.refreshPendingGauge();
          await executeRun(deps, claim.run, lock, { snapshotId: null, triggerSpans: claim.triggerSpans });
          drain.runId = null;
        }
      } finally {
        await lock.release();
      }
      drain.settle({ kind: "idle" });
      if (this.#stopping) break;
      if (drain.again || (await hasEligiblePending(deps.pool, dataset))) continue;
      // Synchronously after the last look: a kick from now on starts a drain of its own.
      if (!drain.again) break;
    }
    this.#drains.delete(dataset);
  }

  async #specOf(dataset: string): Promise<SpecRevision | null> {
    try {
      return await this.deps.specs.current(dataset);
    } catch (error) {
      if (!(error instanceof UnknownDatasetError)) throw error;
      const skipped = await skipPending(this.deps.pool, dataset, `dataset "${dataset}" has no spec any more`);
      this.deps.log.warn({ event: "runner.no_spec", dataset, skipped }, "pending triggers of a dataset without spec");
      return null;
    }
  }

  /** Wakes the dataset up when its earliest deferred trigger (cooldown, retry delay) becomes claimable. */
  async #afterDrain(dataset: string): Promise<void> {
    try {
      await this.refreshPendingGauge();
      if (this.#stopping) return;
      const waitMs = await nextDeferredInMs(this.deps.pool, dataset);
      clearTimeout(this.#timers.get(dataset));
      this.#timers.delete(dataset);
      if (waitMs === null || waitMs === 0) return;
      const timer = setTimeout(() => {
        this.#timers.delete(dataset);
        void this.kick(dataset);
      }, waitMs + 50);
      timer.unref();
      this.#timers.set(dataset, timer);
    } catch (err) {
      this.deps.log.warn({ err, event: "runner.schedule_failed", dataset }, "could not schedule deferred triggers");
    }
  }

  /** Publishes succeeded runs left unpublished and kicks every dataset with work due. Never throws. */
  async sweep(): Promise<void> {
    if (this.#stopping) return;
    try {
      for (const runId of await unpublishedRunIds(this.deps.pool)) {
        await publishTrained(this.deps.bus, this.deps.pool, await getRun(this.deps.pool, runId));
        this.deps.log.info({ event: "run.published_late", runId }, "model.trained published for an earlier run");
      }
      for (const dataset of await datasetsToSweep(this.deps.pool)) void this.kick(dataset);
      await this.refreshPendingGauge();
    } catch (err) {
      this.deps.log.warn({ err, event: "runner.sweep_failed" }, "sweep failed; trying again at the next one");
    }
  }

  /** Refreshes the gauges read from the trigger and run records: pending triggers, runs per batch. */
  async refreshPendingGauge(): Promise<void> {
    const counts = await pendingCounts(this.deps.pool);
    this.deps.metrics.pendingTriggers.reset();
    for (const [dataset, pending] of counts) {
      this.deps.metrics.pendingTriggers.set({ [LABEL.dataset]: dataset }, pending);
    }
    for (const { dataset, runs, batches } of await runsPerBatch(this.deps.pool)) {
      this.deps.metrics.runsPerBatch.set({ [LABEL.dataset]: dataset }, runs / batches);
    }
  }

  /** Starts no run from now on (the runs in progress go on): call it as soon as the process is asked to stop. */
  beginStop(): void {
    this.#stopping = true;
    clearInterval(this.#sweeper);
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  /** Stops starting runs; resolves when the runs in progress have finished and been recorded. */
  async stop(): Promise<void> {
    this.beginStop();
    await Promise.all([...this.#finished]);
  }
}
