import { Match, type MsgHdrs } from "@nats-io/transport-node";
import {
  type Attributes,
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type TextMapSetter,
  trace,
} from "@opentelemetry/api";
import { ATTR_ERROR_TYPE } from "@opentelemetry/semantic-conventions";

// Messaging attributes are still "incubating" in @opentelemetry/semantic-conventions, whose guidance is to
// copy them rather than import the unstable entry point.
export const MESSAGING_ATTRIBUTES = {
  system: "messaging.system",
  systemName: "messaging.system.name",
  destinationName: "messaging.destination.name",
  messageId: "messaging.message.id",
  bodySize: "messaging.message.body.size",
  operationType: "messaging.operation.type",
  operationName: "messaging.operation.name",
  consumerGroup: "messaging.consumer.group.name",
} as const;

const TRACER_NAME = "@gyre/bus";

export const natsHeaderSetter: TextMapSetter<MsgHdrs> = {
  set(headers, key, value) {
    headers.set(key, value);
  },
};

export const natsHeaderGetter: TextMapGetter<MsgHdrs | undefined> = {
  keys(headers) {
    return headers ? headers.keys() : [];
  },
  get(headers, key) {
    if (!headers?.has(key, Match.IgnoreCase)) return undefined;
    return headers.get(key, Match.IgnoreCase);
  },
};

/** Writes the trace context of `ctx` (the active one by default) into NATS headers as `traceparent`/`tracestate`. */
export function injectTraceContext(headers: MsgHdrs, ctx: Context = context.active()): MsgHdrs {
  propagation.inject(ctx, headers, natsHeaderSetter);
  return headers;
}

/** Reads the trace context carried by NATS headers; the base is the root context so a handler never inherits the poller's. */
export function extractTraceContext(headers: MsgHdrs | undefined, base: Context = ROOT_CONTEXT): Context {
  return propagation.extract(base, headers, natsHeaderGetter);
}

export interface MessageSpanFields {
  subject: string;
  messageId?: string;
  bodySize?: number;
}

function messagingAttributes(fields: MessageSpanFields, operationName: string, operationType: string): Attributes {
  const attributes: Attributes = {
    [MESSAGING_ATTRIBUTES.system]: "nats",
    [MESSAGING_ATTRIBUTES.systemName]: "nats",
    [MESSAGING_ATTRIBUTES.destinationName]: fields.subject,
    [MESSAGING_ATTRIBUTES.operationName]: operationName,
    [MESSAGING_ATTRIBUTES.operationType]: operationType,
  };
  if (fields.messageId !== undefined) attributes[MESSAGING_ATTRIBUTES.messageId] = fields.messageId;
  if (fields.bodySize !== undefined) attributes[MESSAGING_ATTRIBUTES.bodySize] = fields.bodySize;
  return attributes;
}

/** Marks a span as failed the way the conventions ask: exception event, ERROR status and `error.type`. */
export function recordSpanError(span: Span, err: unknown): void {
  const error = err instanceof Error ? err : new Error(String(err));
  span.recordException(error);
  span.setAttribute(ATTR_ERROR_TYPE, error.name || "Error");
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
}

async function inSpan<T>(
  name: string,
  kind: SpanKind,
  attributes: Attributes,
  parent: Context,
  work: (span: Span, spanContext: Context) => Promise<T>,
): Promise<T> {
  const span = trace.getTracer(TRACER_NAME).startSpan(name, { kind, attributes }, parent);
  const spanContext = trace.setSpan(parent, span);
  try {
    return await context.with(spanContext, () => work(span, spanContext));
  } catch (err) {
    recordSpanError(span, err);
    throw err;
  } finally {
    span.end();
  }
}

/**
 * Runs `work` inside a PRODUCER span named `publish <subject>`, child of the active context.
 * `injectTraceContext(headers, spanContext)` carries this span to the consumer; passing the context explicitly
 * works even where no context manager is registered.
 */
export function withProducerSpan<T>(
  fields: MessageSpanFields,
  work: (span: Span, spanContext: Context) => Promise<T>,
): Promise<T> {
  const attributes = messagingAttributes(fields, "publish", "send");
  return inSpan(`publish ${fields.subject}`, SpanKind.PRODUCER, attributes, context.active(), work);
}

/** Runs `work` inside a CONSUMER span named `process <subject>` whose parent is the context in the message headers. */
export function withConsumerSpan<T>(
  fields: MessageSpanFields & { consumerGroup: string; headers: MsgHdrs | undefined },
  work: (span: Span, spanContext: Context) => Promise<T>,
): Promise<T> {
  const attributes = messagingAttributes(fields, "process", "process");
  attributes[MESSAGING_ATTRIBUTES.consumerGroup] = fields.consumerGroup;
  return inSpan(`process ${fields.subject}`, SpanKind.CONSUMER, attributes, extractTraceContext(fields.headers), work);
}
