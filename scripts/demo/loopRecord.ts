import type { EventData, GyreEvent } from "@gyre/contracts";

/** The loop's events the demo follows (one ordered consumer on the dataset's subjects). */
export const WATCHED_EVENTS = [
  "data.ingested",
  "data.validated",
  "data.rejected",
  "features.updated",
  "training.progress",
  "model.trained",
  "model.promoted",
  "model.rejected",
  "drift.detected",
  "performance.measured",
] as const;
export type WatchedType = (typeof WATCHED_EVENTS)[number];
export type LoopEvent = GyreEvent<WatchedType>;

/** A batch the demo sent, as `data.arrived`. */
export interface SentBatch {
  key: string;
  location: string;
  month: string;
  rows: number;
}

export interface Score {
  batchId: string;
  batch: SentBatch | undefined;
  modelVersion: number;
  metric: string;
  value: number;
  holdout: number;
}

export interface Decision {
  kind: "promoted" | "rejected";
  version: number;
  previousVersion: number | null;
  runId: string;
  reason: string;
  /** What started the run, from its model.trained; undefined if that event was not seen. */
  trigger: string | undefined;
  /** Batches the demo had sent when the decision came. */
  sentBefore: number;
}

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);

/**
 * What the loop did with the demo's batches, from its events alone: a redelivered or republished event (same id)
 * counts once. Pure: the observer feeds it, the live view and the summary read it.
 */
export class LoopRecord {
  readonly sent = new Map<string, SentBatch>();
  /** batchId → batch key, for this run's batches only. */
  readonly ingested = new Map<string, string>();
  readonly validated = new Map<string, EventData<"data.validated">>();
  readonly rejected = new Map<string, EventData<"data.rejected">>();
  readonly featuresWritten = new Map<string, number>();
  readonly progress = new Map<string, EventData<"training.progress">>();
  readonly trained = new Map<string, EventData<"model.trained">>();
  readonly decisions: Decision[] = [];
  readonly drifts: EventData<"drift.detected">[] = [];
  readonly scores = new Map<string, Score>();
  readonly #seen = new Set<string>();
  /** When the last event of the loop arrived (epoch ms), ours or not. */
  lastEventAt = Date.now();
  /** When the last drift.detected arrived (epoch ms); 0 before any. */
  lastDriftAt = 0;

  markSent(batch: SentBatch): void {
    this.sent.set(batch.key, batch);
  }

  /** Records the event; false when it was seen before or is about another producer's batch. */
  add(event: LoopEvent): boolean {
    this.lastEventAt = Date.now();
    if (this.#seen.has(event.id)) return false;
    this.#seen.add(event.id);
    switch (event.type) {
      case "data.ingested":
        if (!this.sent.has(event.data.batchKey)) return false;
        this.ingested.set(event.data.batchId, event.data.batchKey);
        return true;
      case "data.validated":
      case "data.rejected":
      case "features.updated":
        if (!this.#ours(event.data.batchId)) return false;
        if (event.type === "data.validated") this.validated.set(event.data.batchId, event.data);
        else if (event.type === "data.rejected") this.rejected.set(event.data.batchId, event.data);
        else this.featuresWritten.set(event.data.batchId, event.data.rowsWritten);
        return true;
      case "training.progress":
        this.progress.set(event.data.runId, event.data);
        return true;
      case "model.trained":
        this.trained.set(event.data.runId, event.data);
        return true;
      case "model.promoted":
      case "model.rejected":
        this.decisions.push({
          kind: event.type === "model.promoted" ? "promoted" : "rejected",
          version: event.data.version,
          previousVersion: event.data.previousVersion,
          runId: event.data.runId,
          reason: event.data.reason,
          trigger: this.trained.get(event.data.runId)?.trigger.reason,
          sentBefore: this.sent.size,
        });
        return true;
      case "drift.detected":
        this.drifts.push(event.data);
        this.lastDriftAt = Date.now();
        return true;
      case "performance.measured": {
        const { batchId, modelVersion, metric, value, championHoldoutValue } = event.data;
        if (!this.#ours(batchId)) return false;
        const batch = this.batchOf(batchId);
        this.scores.set(batchId, { batchId, batch, modelVersion, metric, value, holdout: championHoldoutValue });
        return true;
      }
    }
  }

  #ours(batchId: string): boolean {
    return this.ingested.has(batchId);
  }

  batchOf(batchId: string): SentBatch | undefined {
    const key = this.ingested.get(batchId);
    return key === undefined ? undefined : this.sent.get(key);
  }

  triggerOf(runId: string): string | undefined {
    return this.trained.get(runId)?.trigger.reason ?? this.decisions.find((d) => d.runId === runId)?.trigger;
  }

  get promotions(): Decision[] {
    return this.decisions.filter((decision) => decision.kind === "promoted");
  }

  /** Promotions of runs that a drift.detected started: the loop closing on itself. */
  get driftRetrains(): Decision[] {
    return this.promotions.filter((decision) => this.triggerOf(decision.runId) === "drift");
  }

  rows(): { sent: number; stored: number; quarantined: number; rejected: number } {
    const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);
    return {
      sent: sum([...this.sent.values()].map((batch) => batch.rows)),
      stored: sum(this.featuresWritten.values()),
      quarantined: sum([...this.validated.values()].map((report) => report.invalidRows)),
      rejected: sum([...this.rejected.values()].map((report) => report.rowCount)),
    };
  }

  /**
   * Mean prequential score of one city's batches scored by versions before the first drift retrain promoted after
   * the city's first batch was sent, and by that version or later.
   */
  prequentialAround(location: string): {
    retrainVersion: number | null;
    before: { mean: number | null; batches: number };
    after: { mean: number | null; batches: number };
    metric: string | null;
  } {
    const firstSent = [...this.sent.values()].findIndex((batch) => batch.location === location);
    const retrain = firstSent < 0 ? undefined : this.driftRetrains.find((d) => d.sentBefore > firstSent);
    const retrainVersion = retrain?.version ?? null;
    const scores = [...this.scores.values()].filter((score) => score.batch?.location === location);
    const before = scores.filter((score) => retrainVersion === null || score.modelVersion < retrainVersion);
    const after = scores.filter((score) => retrainVersion !== null && score.modelVersion >= retrainVersion);
    return {
      retrainVersion,
      before: { mean: mean(before.map((score) => score.value)), batches: before.length },
      after: { mean: mean(after.map((score) => score.value)), batches: after.length },
      metric: scores[0]?.metric ?? null,
    };
  }

  /** Runs that reported progress but have no model.trained yet, and trained runs the registry has not decided on. */
  unfinishedRuns(): string[] {
    const training = [...this.progress.keys()].filter((runId) => !this.trained.has(runId));
    const undecided = [...this.trained.keys()].filter((runId) => !this.decisions.some((d) => d.runId === runId));
    return [...new Set([...training, ...undecided])];
  }

  /** Every batch has a verdict, every validated batch reached the feature store, and no run is in flight. */
  settled(scoredAfter?: (batch: SentBatch) => boolean): boolean {
    if (this.ingested.size < this.sent.size) return false;
    for (const batchId of this.ingested.keys()) {
      if (!this.validated.has(batchId) && !this.rejected.has(batchId)) return false;
    }
    for (const batchId of this.validated.keys()) {
      if (!this.featuresWritten.has(batchId)) return false;
      const batch = this.batchOf(batchId);
      if (batch && scoredAfter?.(batch) && !this.scores.has(batchId)) return false;
    }
    return this.unfinishedRuns().length === 0;
  }

  /** What the demo promises and did not happen yet: at least one promotion and one promoted drift-triggered retrain. */
  missing(): string[] {
    const missing: string[] = [];
    if (this.promotions.length === 0) missing.push("no model was promoted");
    if (this.drifts.length === 0) missing.push("no drift was detected");
    if (this.driftRetrains.length > 0) return missing;
    const driftRuns = [...this.trained.entries()].filter(([, run]) => run.trigger.reason === "drift");
    const refused = this.decisions.filter((d) => d.kind === "rejected" && this.triggerOf(d.runId) === "drift");
    if (refused.length > 0) {
      missing.push(
        `no drift-triggered retrain was promoted: the registry rejected ${refused.map((d) => `v${d.version} (${d.reason})`).join(", ")}`,
      );
    } else if (driftRuns.length > 0) {
      missing.push(`no drift-triggered retrain was promoted: run ${driftRuns[0]?.[0]} awaits the registry's decision`);
    } else if (this.drifts.length > 0) {
      missing.push("no retrain was triggered by the drift (no model.trained with trigger drift)");
    } else {
      missing.push("no drift-triggered retrain");
    }
    return missing;
  }
}
