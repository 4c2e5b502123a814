import { context, isSpanContextValid, trace } from "@opentelemetry/api";

export interface TraceFields {
  trace_id?: string;
  span_id?: string;
  trace_flags?: string;
}

/** The ids of the span active where the log call is made, so a log line links to its trace in Jaeger. */
export function traceFields(): TraceFields {
  const spanContext = trace.getSpanContext(context.active());
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return {
    trace_id: spanContext.traceId,
    span_id: spanContext.spanId,
    trace_flags: `0${spanContext.traceFlags.toString(16)}`.slice(-2),
  };
}
