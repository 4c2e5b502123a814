import { type CloudEvent, parseEventSubject } from "@gyre/contracts";
import type { Consumer, ConsumerMessages, JetStreamClient, JetStreamManager, JsMsg } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Span } from "@opentelemetry/api";
import { errorMessage } from "./api-errors.ts";
import { type BusObserver, backoffFor, type HandlerContext, type ResolvedConsumeOptions } from "./consume-options.ts";
import { type DeadLetterKind, publishDeadLetter } from "./dead-letter.ts";
import { settlesWithin } from "./deadline.ts";
import { type ConsumerStatus, type DurableSpec, durableStatus, ensureDurable } from "./durable.ts";
import { PermanentError } from "./errors.ts";
import { checkEventMessage } from "./event-check.ts";
import type { BusStatusFields } from "./status.ts";
import { recordSpanError, withConsumerSpan } from "./tracing.ts";
import { isTransientError } from "./transient.ts";

export interface ConsumerDeps {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  durable: DurableSpec;
  dlqSubject: string;
  filtersOnClient: boolean;
  report(event: BusStatusFields): void;
}

export interface ConsumerCounters {
  handled: number;
  /** Failed deliveries nak'ed for a later retry. */
  retried: number;
  deadLettered: number;
  /** Events of other types skipped (only on servers before 2.10 with several event types). */
  skipped: number;
  /** Handler runs repeated in place because the infrastructure was unavailable. */
  transientRetries: number;
  inFlight: number;
}

const MAX_RETRY_DELAY_MS = 30_000;
const FLUSH_TIMEOUT_MS = 5000;
const MAX_TRANSIENT_DELAY_MS = 15_000;

/** A durable pull consumer running `concurrency` workers; each worker pulls one message only when it is free. */
export class EventConsumer {
  readonly service: string;
  readonly durable: string;
  readonly #options: ResolvedConsumeOptions;
  readonly #deps: ConsumerDeps;
  readonly #counters: ConsumerCounters = {
    handled: 0,
    retried: 0,
    deadLettered: 0,
    skipped: 0,
    transientRetries: 0,
    inFlight: 0,
  };
  readonly #pulls = new Set<ConsumerMessages>();
  readonly #wakers = new Set<() => void>();
  #workers: Promise<void>[] = [];
  #jsConsumer: Promise<Consumer> | undefined;
  #recovering: Promise<void> | undefined;
  #stopping = false;
  #stopped: Promise<void> | undefined;

  constructor(options: ResolvedConsumeOptions, deps: ConsumerDeps) {
    this.service = options.service;
    this.durable = options.durable;
    this.#options = options;
    this.#deps = deps;
  }

  get counters(): Readonly<ConsumerCounters> {
    return { ...this.#counters };
  }

  start(): void {
    for (let worker = 0; worker < this.#options.concurrency; worker++) this.#workers.push(this.#work());
  }

  /** Stops pulling, waits for the handlers in flight to finish and settle, and returns. Safe to call twice. */
  stop(): Promise<void> {
    this.#stopped ??= this.#drain();
    return this.#stopped;
  }

  status(): Promise<ConsumerStatus> {
    return durableStatus(this.#deps.jsm, this.#deps.durable.stream, this.durable);
  }

  async #drain(): Promise<void> {
    this.#stopping = true;
    for (const wake of this.#wakers) wake();
    await Promise.all([...this.#pulls].map((pull) => pull.close()));
    await Promise.all(this.#workers);
    // naks and terms are fire-and-forget; a flush makes sure the server has them (unless NATS is unreachable)
    await settlesWithin(this.#deps.nc.flush(), FLUSH_TIMEOUT_MS);
  }

  async #work(): Promise<void> {
    let failures = 0;
    while (!this.#stopping) {
      try {
        const msg = await this.#pullOne();
        failures = 0;
        if (msg) await this.#process(msg);
      } catch (err) {
        if (this.#stopping) break;
        failures++;
        const delay = Math.min(this.#options.retryDelayMs * 2 ** (failures - 1), MAX_RETRY_DELAY_MS);
        this.#report("warn", "consumer.pull_failed", { error: errorMessage(err), retryInMs: delay });
        this.#jsConsumer = undefined;
        await this.#pause(delay);
        await this.#recover();
      }
    }
  }

  async #pullOne(): Promise<JsMsg | null> {
    this.#jsConsumer ??= this.#deps.js.consumers.get(this.#deps.durable.stream, this.durable);
    const consumer = await this.#jsConsumer;
    if (this.#stopping) return null;
    const pull = await consumer.fetch({ max_messages: 1, expires: this.#options.pullExpiresMs });
    this.#pulls.add(pull);
    // stop() may have run while the pull was being set up, before it could be closed with the others
    if (this.#stopping) await pull.close();
    try {
      for await (const msg of pull) {
        if (!this.#stopping) return msg;
        msg.nak(); // arrived while stopping: let another replica have it now
      }
      return null;
    } finally {
      this.#pulls.delete(pull);
    }
  }

  /** After a failed pull the consumer (or its stream) may be gone, e.g. NATS lost its store: put it back. */
  #recover(): Promise<void> {
    this.#recovering ??= ensureDurable(this.#deps.jsm, this.#deps.durable)
      .then(() => undefined)
      .catch((err: unknown) => this.#report("warn", "consumer.recover_failed", { error: errorMessage(err) }))
      .finally(() => {
        this.#recovering = undefined;
      });
    return this.#recovering;
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#wakers.add(wake);
    });
  }

  async #process(msg: JsMsg): Promise<void> {
    this.#counters.inFlight++;
    try {
      if (this.#deps.filtersOnClient && !this.#wants(msg.subject)) {
        await msg.ackAck();
        this.#counters.skipped++;
        return;
      }
      await this.#processInSpan(msg);
    } catch (err) {
      // the ack, nak or move did not reach the server: JetStream redelivers after ack_wait
      this.#report("warn", "consumer.settle_failed", {
        subject: msg.subject,
        streamSeq: msg.info.streamSequence,
        error: errorMessage(err),
      });
    } finally {
      this.#counters.inFlight--;
    }
  }

  #wants(subject: string): boolean {
    const type = parseEventSubject(subject)?.type;
    return type !== undefined && this.#options.events.includes(type);
  }

  #processInSpan(msg: JsMsg): Promise<void> {
    const checked = checkEventMessage(msg.subject, msg.data, this.#options.events, this.#options.maxEventBytes);
    const messageId = checked.ok ? checked.event.id : msg.headers?.get("Nats-Msg-Id") || undefined;
    const fields = {
      subject: msg.subject,
      bodySize: msg.data.byteLength,
      consumerGroup: this.durable,
      headers: msg.headers,
      ...(messageId ? { messageId } : {}),
    };
    return withConsumerSpan(fields, async (span) => {
      if (!checked.ok) return this.#deadLetter(msg, span, "invalid", checked.reason);
      const { deliveryCount } = msg.info;
      if (deliveryCount > this.#options.maxDeliver) {
        return this.#deadLetter(
          msg,
          span,
          "lost",
          `delivered ${deliveryCount} times, more than maxDeliver ${this.#options.maxDeliver}: an earlier attempt did not finish (crash or ack timeout)`,
        );
      }
      await this.#handle(msg, span, checked.event, checked.subject.dataset);
    });
  }

  async #handle(msg: JsMsg, span: Span, event: CloudEvent, dataset: string): Promise<void> {
    const { deliveryCount } = msg.info;
    const started = performance.now();
    const context = {
      subject: msg.subject,
      dataset,
      deliveryCount,
      streamSeq: msg.info.streamSequence,
      headers: msg.headers,
      span,
    };
    // a running handler keeps its message: without this a handler slower than ack_wait would be run twice
    const heartbeat = setInterval(
      () => {
        try {
          msg.working();
        } catch {
          // connection closed: the ack at the end reports it; the timer must not crash the process
        }
      },
      Math.max(this.#options.ackWaitMs / 2, 500),
    );
    try {
      await this.#runHandler(msg, event, context);
    } catch (err) {
      recordSpanError(span, err);
      const errorName = err instanceof Error ? err.name : typeof err;
      const failure = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      if (err instanceof PermanentError) {
        return this.#deadLetter(msg, span, "permanent", `permanent failure: ${failure}`);
      }
      if (this.#stopping && isTransientError(err)) {
        // the infrastructure is still down as the process stops: another replica (or this one, restarted) retries
        msg.nak();
        this.#counters.retried++;
        return;
      }
      if (deliveryCount >= this.#options.maxDeliver) {
        return this.#deadLetter(
          msg,
          span,
          "exhausted",
          `failed ${deliveryCount} of ${this.#options.maxDeliver} deliveries: ${failure}`,
        );
      }
      msg.nak(backoffFor(this.#options.backoffMs, deliveryCount));
      this.#counters.retried++;
      this.#observe((observer) => observer.failed?.(msg.subject, errorName));
      return;
    } finally {
      clearInterval(heartbeat);
    }
    await msg.ackAck();
    this.#counters.handled++;
    this.#observe((observer) => observer.handled?.(msg.subject, performance.now() - started));
  }

  /**
   * Runs the handler; while it fails because the infrastructure is unavailable (PostgreSQL restarting, NATS
   * reconnecting, S3 not answering), runs it again in place with backoff, for up to `transientRetryMs`, so an outage
   * neither spends the event's deliveries nor sends it to the DLQ. Handlers are idempotent, so a retry is safe.
   */
  async #runHandler(msg: JsMsg, event: CloudEvent, context: HandlerContext): Promise<void> {
    const giveUpAt = performance.now() + this.#options.transientRetryMs;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#options.handler(event, context);
        return;
      } catch (err) {
        if (!isTransientError(err) || this.#stopping || performance.now() >= giveUpAt) throw err;
        const delay = Math.min(this.#options.retryDelayMs * 2 ** (attempt - 1), MAX_TRANSIENT_DELAY_MS);
        this.#report("warn", "consumer.transient_retry", {
          subject: msg.subject,
          streamSeq: msg.info.streamSequence,
          attempt,
          retryInMs: delay,
          error: errorMessage(err),
        });
        this.#counters.transientRetries++;
        this.#observe((observer) => observer.failed?.(msg.subject, err instanceof Error ? err.name : typeof err));
        await this.#pause(delay);
        if (this.#stopping) throw err;
      }
    }
  }

  async #deadLetter(msg: JsMsg, span: Span, kind: DeadLetterKind, reason: string): Promise<void> {
    span.setAttributes({ "gyre.dlq.kind": kind, "gyre.dlq.reason": reason });
    await publishDeadLetter(this.#deps.js, this.#deps.dlqSubject, this.service, msg, { kind, reason });
    msg.term();
    this.#counters.deadLettered++;
    this.#report("warn", "consumer.dead_lettered", {
      subject: msg.subject,
      streamSeq: msg.info.streamSequence,
      deliveryCount: msg.info.deliveryCount,
      kind,
      reason,
    });
    this.#observe((observer) => observer.deadLettered?.(msg.subject, kind));
  }

  /** A broken metrics hook must not change what happens to the message. */
  #observe(notify: (observer: BusObserver) => void): void {
    try {
      notify(this.#options.observer);
    } catch {
      // ignored on purpose, see above
    }
  }

  #report(level: BusStatusFields["level"], event: string, fields: Record<string, unknown>): void {
    this.#deps.report({ level, event, service: this.service, durable: this.durable, ...fields });
  }
}
