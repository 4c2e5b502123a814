import { type Bus, consumerStatus } from "@gyre/bus";
import type { EventType } from "@gyre/contracts";
import { DeliverPolicy, type JsMsg } from "@nats-io/jetstream";

/** What the page shows of one event: its envelope, and its data only for the small event types. */
export interface EventSummary {
  seq: number;
  id: string;
  type: string;
  dataset: string;
  time: string;
  source: string;
  traceId?: string;
  data?: unknown;
}

/** The loop's events the timeline shows; data.arrived is left out (its data is the whole batch). */
export const TIMELINE_TYPES: readonly EventType[] = [
  "data.ingested",
  "data.validated",
  "data.rejected",
  "features.updated",
  "model.trained",
  "model.promoted",
  "model.rejected",
  "drift.detected",
  "performance.measured",
];

export interface ConsumerBacklog {
  consumer: string;
  pending: number;
  ackPending: number;
  redelivered: number;
  dlq: number;
}

const decoder = new TextDecoder();

function summarize(msg: JsMsg, namespace: string): EventSummary | undefined {
  let envelope: { id?: string; type?: string; time?: string; source?: string; data?: unknown };
  try {
    envelope = JSON.parse(decoder.decode(msg.data));
  } catch {
    return undefined;
  }
  // W3C traceparent "00-<trace id>-<span id>-<flags>": the trace the event belongs to, for links to the Traces page.
  const traceId = msg.headers?.get("traceparent")?.split("-")[1];
  const dataset = msg.subject
    .slice(namespace.length + 1)
    .split(".")
    .slice(2)
    .join(".");
  return {
    seq: msg.seq,
    id: String(envelope.id ?? ""),
    type: String(envelope.type ?? ""),
    dataset,
    time: String(envelope.time ?? msg.time.toISOString()),
    source: String(envelope.source ?? ""),
    ...(traceId ? { traceId } : {}),
    data: envelope.data,
  };
}

/**
 * One subject filter for the events of a dataset (or all): NATS before 2.10 takes one filter per consumer, so the
 * types are chosen here, on the client.
 */
function filterSubject(namespace: string, dataset?: string): string {
  return `${namespace}.*.*.${dataset ?? "*"}`;
}

/** The last `limit` events of `types` (optionally one dataset), oldest first, read with an ordered consumer. */
export async function recentEvents(
  bus: Bus,
  types: readonly string[],
  options: { dataset?: string; limit?: number } = {},
): Promise<EventSummary[]> {
  const limit = options.limit ?? 200;
  const wanted = new Set(types);
  let info: Awaited<ReturnType<typeof bus.manager.streams.info>>;
  try {
    info = await bus.manager.streams.info(bus.streams.events);
  } catch {
    return [];
  }
  if (info.state.messages === 0) return [];
  // Start far enough back: the types asked for are a share of the stream, so read the tail and keep the last ones.
  const window = Math.max(limit * 12, 2000);
  const start = Math.max(info.state.first_seq, info.state.last_seq - window + 1);
  const consumer = await bus.jetstream.consumers.get(bus.streams.events, {
    filter_subjects: filterSubject(bus.namespace, options.dataset),
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: start,
  });
  const events: EventSummary[] = [];
  try {
    for (;;) {
      const pending = (await consumer.info(true)).num_pending;
      if (pending === 0) break;
      const batch = await consumer.fetch({ max_messages: Math.min(pending, 500), expires: 2000 });
      let got = 0;
      for await (const msg of batch) {
        got += 1;
        const summary = summarize(msg, bus.namespace);
        if (summary && wanted.has(summary.type)) events.push(summary);
      }
      if (got === 0) break;
    }
  } finally {
    await consumer.delete().catch(() => undefined);
  }
  return events.slice(-limit);
}

/** Calls `onEvent` for every new event of `types` until the returned stop function is called. */
export async function followEvents(
  bus: Bus,
  types: readonly string[],
  onEvent: (event: EventSummary) => void,
): Promise<() => Promise<void>> {
  const wanted = new Set(types);
  const consumer = await bus.jetstream.consumers.get(bus.streams.events, {
    filter_subjects: filterSubject(bus.namespace),
    deliver_policy: DeliverPolicy.New,
  });
  const messages = await consumer.consume();
  const done = (async () => {
    for await (const msg of messages) {
      const summary = summarize(msg, bus.namespace);
      if (summary && wanted.has(summary.type)) onEvent(summary);
    }
  })();
  return async () => {
    await messages.close();
    await done.catch(() => undefined);
  };
}

/** Backlog and dead letters of each durable consumer of the namespace. */
export async function backlogs(bus: Bus): Promise<ConsumerBacklog[]> {
  const names: string[] = [];
  try {
    for await (const info of bus.manager.consumers.list(bus.streams.events)) names.push(info.name);
  } catch {
    return [];
  }
  const dlqCounts = new Map<string, number>();
  try {
    const info = await bus.manager.streams.info(bus.streams.dlq, { subjects_filter: `${bus.namespace}.dlq.*` });
    for (const [subject, count] of Object.entries(info.state.subjects ?? {})) {
      dlqCounts.set(subject.slice(`${bus.namespace}.dlq.`.length), count);
    }
  } catch {
    // no DLQ stream yet: nothing dead-lettered
  }
  const durable = names.filter((name) => !name.startsWith("OC_") && /^[a-z][a-z0-9_-]*$/.test(name)).sort();
  const rows: ConsumerBacklog[] = [];
  for (const consumer of [...new Set([...durable, ...dlqCounts.keys()])].sort()) {
    const backlog = durable.includes(consumer) ? await consumerStatus(bus, consumer).catch(() => undefined) : undefined;
    rows.push({
      consumer,
      pending: backlog?.pending ?? 0,
      ackPending: backlog?.ackPending ?? 0,
      redelivered: backlog?.redelivered ?? 0,
      dlq: dlqCounts.get(consumer) ?? 0,
    });
  }
  return rows;
}
