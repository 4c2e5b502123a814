import type { Bus } from "@gyre/bus";
import { EVENT_TYPES, type EventType } from "@gyre/contracts";
import { DeliverPolicy, type JsMsg } from "@nats-io/jetstream";
import type { LoopEvent } from "./wire.ts";

/** An event as the page shows it; `data` only where the server needs it (batches), never sent live. */
export interface EventSummary extends LoopEvent {
  data?: unknown;
}

/** The loop's events the timeline shows: all but the bulky ones (a batch's rows, predictions, epoch progress). */
export const TIMELINE_TYPES: readonly EventType[] = EVENT_TYPES.filter(
  (type) => !["data.arrived", "predictions.logged", "training.progress"].includes(type),
);

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
