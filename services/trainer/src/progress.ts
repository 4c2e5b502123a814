import type { Bus } from "@gyre/bus";
import { newEvent } from "@gyre/contracts";
import type { Logger } from "@gyre/log";
import { type EpochLog, progressMetrics } from "./fit.ts";
import { EVENT_SOURCE } from "./trainedEvent.ts";

/** At most one training.progress per run in this interval, besides the first and the last epoch. */
export const PROGRESS_INTERVAL_MS = 500;

/**
 * Publishes `training.progress` for a run's epochs, best effort: publishes go out one after the other without
 * holding the training up, at most one per PROGRESS_INTERVAL_MS (the first and last epochs always), and a failed
 * publish is logged, never fatal. Event ids are `progress-<runId>-<epoch>`.
 */
export class ProgressReporter {
  #chain: Promise<void> = Promise.resolve();
  #lastSentAt = Number.NEGATIVE_INFINITY;
  #last: EpochLog | null = null;
  #lastSent = 0;

  constructor(
    private readonly bus: Bus,
    private readonly log: Logger,
    private readonly run: { runId: string; dataset: string; epochs: number },
  ) {}

  epoch(log: EpochLog): void {
    this.#last = log;
    const now = performance.now();
    if (log.epoch !== 1 && log.epoch !== this.run.epochs && now - this.#lastSentAt < PROGRESS_INTERVAL_MS) return;
    this.#lastSentAt = now;
    this.#send(log);
  }

  /** Sends the last epoch if the throttle held it back (early stopping), and waits for every publish. */
  async flush(): Promise<void> {
    if (this.#last && this.#last.epoch !== this.#lastSent) this.#send(this.#last);
    await this.#chain;
  }

  #send(log: EpochLog): void {
    this.#lastSent = log.epoch;
    const { runId, dataset, epochs } = this.run;
    const event = newEvent(
      "training.progress",
      EVENT_SOURCE,
      { runId, dataset, epoch: log.epoch, epochs, metrics: progressMetrics(log) },
      { id: `progress-${runId}-${log.epoch}` },
    );
    this.#chain = this.#chain
      .then(() => this.bus.publish(event, dataset))
      .then(
        () => undefined,
        (err: unknown) =>
          this.log.warn({ err, event: "progress.publish_failed", runId, epoch: log.epoch }, "progress not published"),
      );
  }
}
