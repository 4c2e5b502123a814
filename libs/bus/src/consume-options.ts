import { type CloudEvent, type EventType, isEventType, parseName } from "@gyre/contracts";
import type { MsgHdrs } from "@nats-io/transport-node";
import type { Span } from "@opentelemetry/api";
import { MAX_EVENT_BYTES } from "./event-check.ts";

export interface HandlerContext {
  subject: string;
  dataset: string;
  /** 1 on the first delivery. */
  deliveryCount: number;
  streamSeq: number;
  headers: MsgHdrs | undefined;
  /** The CONSUMER span the handler runs in; spans the handler starts are its children. */
  span: Span;
}

export type EventHandler = (event: CloudEvent, ctx: HandlerContext) => Promise<void> | void;

/**
 * Hooks for metrics, so telemetry can count without the bus depending on a metrics library. Reasons are short and
 * fixed (usable as metric labels): `failed` gets the error's name, `deadLettered` a DeadLetterKind. The full
 * reason goes to the DLQ and to `onStatus`.
 */
export interface BusObserver {
  handled?(subject: string, ms: number): void;
  failed?(subject: string, reason: string): void;
  deadLettered?(subject: string, reason: string): void;
}

export interface ConsumeOptions {
  /** The consuming service; names the DLQ subject `<ns>.dlq.<service>` and, by default, the durable. */
  service: string;
  /** Durable consumer name shared by every replica; default the service name. */
  durable?: string;
  events: readonly EventType[];
  handler: EventHandler;
  /** Handlers in flight at most, per process; default 4. */
  concurrency?: number;
  /** Deliveries before an ordinary failure goes to the DLQ; default 5. */
  maxDeliver?: number;
  /** Delay before redelivery after the n-th failed delivery (the last value repeats); default 1 s, 5 s, 15 s. */
  backoffMs?: readonly number[];
  /** Time the server waits for an ack before redelivering; a running handler keeps extending it. Default 30 s. */
  ackWaitMs?: number;
  /** How long one idle pull request waits at the server; default 5 s (minimum 1 s). */
  pullExpiresMs?: number;
  /** Largest body the handler is given; a bigger one is dead-lettered before it is parsed. Default 1 MiB. */
  maxEventBytes?: number;
  /** First pause after a failed pull (NATS down, consumer gone), or before running a handler again after a
   * transient failure; doubles from there. Default 1 s. */
  retryDelayMs?: number;
  /**
   * How long a handler that fails because the infrastructure is unavailable (isTransientError) is run again in place
   * before the failure counts as a failed delivery; default 5 minutes, 0 turns in-place retries off.
   */
  transientRetryMs?: number;
  observer?: BusObserver;
}

export type ResolvedConsumeOptions = Required<Omit<ConsumeOptions, "observer">> & { observer: BusObserver };

function wholeNumber(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`consume option ${name} ${JSON.stringify(value)}: use a whole number >= ${min}`);
  }
  return value;
}

/** Fills defaults and rejects values that would make the consumer misbehave, naming the option and the value. */
export function resolveConsumeOptions(options: ConsumeOptions, fallbackObserver?: BusObserver): ResolvedConsumeOptions {
  const service = parseName("service", options.service);
  const durable = parseName("service", options.durable ?? service);
  if (options.events.length === 0) throw new RangeError(`consume options for ${service}: events is empty`);
  for (const type of options.events) {
    if (!isEventType(type)) throw new RangeError(`consume options for ${service}: unknown event type "${type}"`);
  }
  const backoffMs = (options.backoffMs ?? [1000, 5000, 15000]).map((delay, index) =>
    wholeNumber(`backoffMs[${index}]`, delay, 0),
  );
  if (backoffMs.length === 0) throw new RangeError("consume option backoffMs []: give at least one delay");
  return {
    service,
    durable,
    events: [...new Set(options.events)],
    handler: options.handler,
    concurrency: wholeNumber("concurrency", options.concurrency ?? 4, 1),
    maxDeliver: wholeNumber("maxDeliver", options.maxDeliver ?? 5, 1),
    backoffMs,
    ackWaitMs: wholeNumber("ackWaitMs", options.ackWaitMs ?? 30_000, 1000),
    pullExpiresMs: wholeNumber("pullExpiresMs", options.pullExpiresMs ?? 5000, 1000),
    retryDelayMs: wholeNumber("retryDelayMs", options.retryDelayMs ?? 1000, 1),
    transientRetryMs: wholeNumber("transientRetryMs", options.transientRetryMs ?? 300_000, 0),
    maxEventBytes: wholeNumber("maxEventBytes", options.maxEventBytes ?? MAX_EVENT_BYTES, 1),
    observer: options.observer ?? fallbackObserver ?? {},
  };
}

/** Redelivery delay after the `deliveryCount`-th delivery failed. */
export function backoffFor(backoffMs: readonly number[], deliveryCount: number): number {
  const index = Math.min(Math.max(deliveryCount - 1, 0), backoffMs.length - 1);
  return backoffMs[index] ?? 0;
}
