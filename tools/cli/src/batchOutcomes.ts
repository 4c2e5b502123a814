import { type Bus, readDlq } from "@gyre/bus";
import { type EventType, eventSubject } from "@gyre/contracts";
import { type ConsumerMessages, DeliverPolicy } from "@nats-io/jetstream";

/** What became of one sent batch. */
export type BatchOutcome =
  | { kind: "validated"; batchId: string; rows: number; validRows: number; invalidRows: number; duplicateOf?: string }
  | {
      kind: "rejected";
      batchId: string;
      rows: number;
      validRows: number;
      invalidRows: number;
      reason: string;
      duplicateOf?: string;
    }
  /** A service dead-lettered it: ingestion (bad batch, unknown dataset, ...) or validation. */
  | { kind: "refused"; service: string; reason: string; batchId?: string }
  /** The batch key was ingested before with other bytes; ingestion keeps the first. */
  | { kind: "conflict"; batchId: string; reason: string };

export interface SentBatch {
  batchKey: string;
  eventId: string;
  sha256: string;
}

interface Ingested {
  batchId: string;
  batchKey: string;
  sha256: string;
}

type Verdict = Extract<BatchOutcome, { kind: "validated" | "rejected" }>;

const POLL_MS = 500;

/**
 * Follows a dataset's data.ingested, data.validated and data.rejected events (ordered consumers from the start of the
 * stream, so batches sent before are found too) and the ingestion and validation dead letters, and tells what became
 * of each sent batch. Ingestion may know a batch by its key or by its bytes; both are looked up.
 */
export class BatchOutcomeWatch {
  readonly #byKey = new Map<string, Ingested>();
  readonly #bySha = new Map<string, Ingested>();
  readonly #verdicts = new Map<string, Verdict>();
  /** Dead letters: original event id → service and reason. */
  readonly #dead = new Map<string, { service: string; reason: string }>();
  readonly #dlqNext = new Map<string, number>();
  readonly #streams: ConsumerMessages[] = [];
  readonly #listeners = new Set<() => void>();

  private constructor(
    private readonly bus: Bus,
    private readonly dataset: string,
  ) {}

  static async start(bus: Bus, dataset: string): Promise<BatchOutcomeWatch> {
    const watch = new BatchOutcomeWatch(bus, dataset);
    await Promise.all([
      watch.#follow("data.ingested", (data) => watch.#onIngested(data as Ingested)),
      watch.#follow("data.validated", (data) => watch.#onVerdict("validated", data)),
      watch.#follow("data.rejected", (data) => watch.#onVerdict("rejected", data)),
    ]);
    return watch;
  }

  async #follow(type: EventType, handle: (data: unknown) => void): Promise<void> {
    // Server 2.9 allows one filter subject per consumer: one ordered consumer per event type.
    const consumer = await this.bus.jetstream.consumers.get(this.bus.streams.events, {
      filter_subjects: eventSubject(this.bus.namespace, type, this.dataset),
      deliver_policy: DeliverPolicy.All,
    });
    const messages = await consumer.consume();
    this.#streams.push(messages);
    void (async () => {
      for await (const message of messages) {
        try {
          handle((message.json() as { data?: unknown }).data);
        } catch {
          // not JSON: the services dead-letter such events; nothing to learn here
        }
        this.#changed();
      }
    })();
  }

  #onIngested(data: Ingested): void {
    if (typeof data?.batchKey !== "string" || typeof data.batchId !== "string") return;
    const ingested = { batchId: data.batchId, batchKey: data.batchKey, sha256: data.sha256 };
    this.#byKey.set(ingested.batchKey, ingested);
    this.#bySha.set(ingested.sha256, ingested);
  }

  #onVerdict(kind: "validated" | "rejected", raw: unknown): void {
    const data = raw as {
      batchId?: string;
      rowCount?: number;
      validRows?: number;
      invalidRows?: number;
      reason?: string;
    };
    if (typeof data?.batchId !== "string") return;
    const counts = { rows: data.rowCount ?? 0, validRows: data.validRows ?? 0, invalidRows: data.invalidRows ?? 0 };
    this.#verdicts.set(
      data.batchId,
      kind === "validated"
        ? { kind, batchId: data.batchId, ...counts }
        : { kind, batchId: data.batchId, ...counts, reason: data.reason ?? "" },
    );
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }

  /** Reads new dead letters of ingestion and validation; a missing DLQ stream is no dead letter. */
  async pollDeadLetters(): Promise<void> {
    for (const service of ["ingestion", "validation"]) {
      for (;;) {
        const fromSeq = this.#dlqNext.get(service) ?? 1;
        const letters = await readDlq(this.bus, service, { fromSeq, max: 100 }).catch(() => []);
        for (const letter of letters) {
          if (letter.originalMsgId) this.#dead.set(letter.originalMsgId, { service, reason: letter.reason });
          this.#dlqNext.set(service, letter.seq + 1);
        }
        if (letters.length < 100) break;
      }
    }
    this.#changed();
  }

  outcome(batch: SentBatch): BatchOutcome | undefined {
    const sameKey = this.#byKey.get(batch.batchKey);
    if (sameKey && sameKey.sha256 !== batch.sha256) {
      return {
        kind: "conflict",
        batchId: sameKey.batchId,
        reason: `batch key ${batch.batchKey} was ingested before with other content (sha256 ${sameKey.sha256.slice(0, 12)}…); send this file under new keys with --key-prefix`,
      };
    }
    const ingested = sameKey ?? this.#bySha.get(batch.sha256);
    const dead =
      this.#dead.get(batch.eventId) ?? (ingested ? this.#dead.get(`ingested-${ingested.batchId}`) : undefined);
    if (ingested) {
      const verdict = this.#verdicts.get(ingested.batchId);
      if (verdict)
        return ingested.batchKey === batch.batchKey ? verdict : { ...verdict, duplicateOf: ingested.batchKey };
      if (dead) return { kind: "refused", batchId: ingested.batchId, ...dead };
      return undefined;
    }
    return dead ? { kind: "refused", ...dead } : undefined;
  }

  /** Waits until every batch has an outcome or the time is up; calls `onProgress` with the number resolved. */
  async waitFor(
    batches: readonly SentBatch[],
    timeoutMs: number,
    onProgress: (resolved: number) => void = () => {},
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const resolved = () => batches.filter((batch) => this.outcome(batch) !== undefined).length;
    let polled = 0;
    while (Date.now() < deadline) {
      if (Date.now() - polled >= POLL_MS) {
        await this.pollDeadLetters();
        polled = Date.now();
      }
      const count = resolved();
      onProgress(count);
      if (count === batches.length) return;
      await new Promise<void>((wake) => {
        const timer = setTimeout(done, Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
        function done() {
          clearTimeout(timer);
          wake();
        }
        this.#listeners.add(done);
      });
      this.#listeners.clear();
    }
  }

  stop(): void {
    for (const messages of this.#streams) messages.stop();
  }
}
