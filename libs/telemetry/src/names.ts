/**
 * The one registry of Gyre's telemetry names. Use these constants instead of string literals, so a
 * span attribute, a log field and a dashboard query all mean the same thing.
 *
 * Span attributes follow OpenTelemetry style: lowercase, dot-separated, under the `gyre.` prefix.
 * Metric names follow Prometheus style, because Prometheus names may not contain dots: `gyre_` prefix,
 * snake_case, the unit as a suffix (`_seconds`, `_bytes`), and `_total` for counters. A concept that is
 * both an attribute and a metric label uses the attribute name with dots replaced by underscores and the
 * prefix dropped (attribute `gyre.model.version` ↔ label `model_version`); `promLabel` does that mapping.
 */

export const ATTR = {
  namespace: "gyre.namespace",
  dataset: "gyre.dataset",
  batchId: "gyre.batch.id",
  batchRows: "gyre.batch.rows",
  contentHash: "gyre.batch.content_hash",
  specRevision: "gyre.spec.revision",
  runId: "gyre.run.id",
  modelVersion: "gyre.model.version",
  championVersion: "gyre.champion.version",
  eventType: "gyre.event.type",
  eventId: "gyre.event.id",
  deliveryAttempt: "gyre.delivery.attempt",
  rejectReason: "gyre.reject.reason",
  driftFeature: "gyre.drift.feature",
  tfBackend: "gyre.tf.backend",
} as const;

export type GyreAttribute = (typeof ATTR)[keyof typeof ATTR];

export const METRIC = {
  eventsHandled: "gyre_events_handled_total",
  eventsFailed: "gyre_events_failed_total",
  eventsDeadLettered: "gyre_events_dead_lettered_total",
  handlerDuration: "gyre_handler_duration_seconds",
  grpcServerDuration: "gyre_grpc_server_duration_seconds",
  trainingDuration: "gyre_training_duration_seconds",
  championVersion: "gyre_champion_version",
  consumerPendingMessages: "gyre_consumer_pending_messages",
} as const;

export type GyreMetric = (typeof METRIC)[keyof typeof METRIC];

/** Metric label names. `subject` is the NATS subject; `reason` a short, bounded error kind, never a free-text message. */
export const LABEL = {
  service: "service",
  subject: "subject",
  reason: "reason",
  dataset: promLabel(ATTR.dataset),
  modelVersion: promLabel(ATTR.modelVersion),
  consumer: "consumer",
  grpcMethod: "grpc_method",
  grpcCode: "grpc_code",
  outcome: "outcome",
} as const;

/** `gyre.model.version` → `model_version`: the Prometheus label for a Gyre attribute. */
export function promLabel(attribute: GyreAttribute): string {
  return attribute.replace(/^gyre\./, "").replaceAll(".", "_");
}
