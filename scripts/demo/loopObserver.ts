import type { Bus } from "@gyre/bus";
import { parseEvent } from "@gyre/contracts";
import { type ConsumerMessages, DeliverPolicy } from "@nats-io/jetstream";
import {
  counterLine,
  decisionLine,
  driftLines,
  progressDetail,
  rejectedLine,
  scoreLine,
  trainedLine,
  trainingStartedLine,
  validatedLine,
} from "./eventLines.ts";
import type { LiveView } from "./liveView.ts";
import { type LoopEvent, type LoopRecord, WATCHED_EVENTS } from "./loopRecord.ts";

/**
 * The demo's one consumer of the loop: an ordered (ephemeral) consumer on every event of the dataset from `since`,
 * so nothing is left behind on the server and a reused namespace's history is not replayed. Each event goes into
 * the record, then onto the live view.
 */
export class LoopObserver {
  readonly #listeners = new Set<() => void>();
  /** Runs whose first progress was shown. */
  readonly #started = new Set<string>();
  #messages: ConsumerMessages | undefined;
  #planned = 0;

  get planned(): number {
    return this.#planned;
  }

  constructor(
    private readonly record: LoopRecord,
    private readonly view: LiveView,
  ) {}

  async start(bus: Bus, dataset: string, since: Date): Promise<void> {
    const consumer = await bus.jetstream.consumers.get(bus.streams.events, {
      filter_subjects: `${bus.namespace}.*.*.${dataset}`,
      deliver_policy: DeliverPolicy.StartTime,
      opt_start_time: since.toISOString(),
    });
    this.#messages = await consumer.consume();
    const messages = this.#messages;
    void (async () => {
      for await (const message of messages) {
        let value: unknown;
        try {
          value = message.json();
        } catch {
          continue; // not JSON: the services dead-letter it; nothing for the view
        }
        const parsed = parseEvent(WATCHED_EVENTS, value);
        if (parsed.ok && this.record.add(parsed.event)) this.#show(parsed.event);
        for (const listener of this.#listeners) listener();
      }
    })();
  }

  /** How many batches the demo will send, for the counter line. */
  plan(batches: number): void {
    this.#planned = batches;
    this.refreshCounters(true);
  }

  refreshCounters(force = false): void {
    this.view.counters(counterLine(this.record, this.#planned), force);
  }

  /** Calls `listener` after every event; returns the function that removes it. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #show(event: LoopEvent): void {
    const record = this.record;
    switch (event.type) {
      case "data.validated": {
        const text = validatedLine(event.data, record.batchOf(event.data.batchId));
        if (text) this.view.line(text);
        break;
      }
      case "data.rejected":
        this.view.line(rejectedLine(event.data, record.batchOf(event.data.batchId)));
        break;
      case "training.progress": {
        const { runId, epoch, epochs } = event.data;
        if (record.trained.has(runId)) break;
        if (!this.#started.has(runId)) {
          this.#started.add(runId);
          this.view.line(trainingStartedLine(event.data));
        }
        this.view.training(runId, epoch, epochs, progressDetail(event.data));
        break;
      }
      case "model.trained":
        this.view.trainingDone(event.data.runId);
        this.view.line(trainedLine(event.data));
        break;
      case "model.promoted":
      case "model.rejected": {
        const decision = record.decisions.at(-1);
        if (decision) this.view.line(decisionLine(decision));
        break;
      }
      case "drift.detected":
        for (const text of driftLines(event.data)) this.view.line(text);
        break;
      case "performance.measured":
        this.view.line(scoreLine(event.data, record.batchOf(event.data.batchId)));
        break;
    }
    this.refreshCounters();
  }

  async stop(): Promise<void> {
    await this.#messages?.close();
    this.#listeners.clear();
  }
}
