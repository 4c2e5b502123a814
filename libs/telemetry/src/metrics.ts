import { Counter, collectDefaultMetrics, Gauge, Histogram, type Metric, Registry } from "prom-client";
import { LABEL, METRIC } from "./names.ts";

export interface MetricsRegistryOptions {
  /** Added as the `service` label to every series. */
  service: string;
  /** Process metrics (process_cpu_seconds_total, nodejs_heap_size_used_bytes, ...); on by default. */
  defaultMetrics?: boolean;
}

/** One Registry per process: the standard process metrics plus whatever the Gyre factories below add. */
export function createMetricsRegistry({ service, defaultMetrics = true }: MetricsRegistryOptions): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ [LABEL.service]: service });
  if (defaultMetrics) collectDefaultMetrics({ register: registry });
  return registry;
}

/** Handler latencies: a few milliseconds for a lookup up to half a minute for a large batch. */
export const HANDLER_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** gRPC inference latencies: sub-millisecond to a few seconds. */
export const GRPC_BUCKETS_SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Training runs: seconds for a small model up to an hour. */
export const TRAINING_BUCKETS_SECONDS = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600];

/** Factories are idempotent: asking twice for the same metric on one registry returns the same object. */
function existing<T extends Metric>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

function counter<L extends string>(name: string, help: string, labelNames: readonly L[]) {
  return (registry: Registry): Counter<L> =>
    existing(registry, name, () => new Counter({ name, help, labelNames, registers: [registry] }));
}

function histogram<L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) {
  return (registry: Registry): Histogram<L> =>
    existing(registry, name, () => new Histogram({ name, help, labelNames, buckets, registers: [registry] }));
}

function gauge<L extends string>(name: string, help: string, labelNames: readonly L[]) {
  return (registry: Registry): Gauge<L> =>
    existing(registry, name, () => new Gauge({ name, help, labelNames, registers: [registry] }));
}

export const eventsHandledCounter = counter(
  METRIC.eventsHandled,
  "Events whose handler finished and that were acked, by subject",
  [LABEL.subject],
);

export const eventsFailedCounter = counter(
  METRIC.eventsFailed,
  "Handler failures that were nakked for redelivery, by subject and reason",
  [LABEL.subject, LABEL.reason],
);

export const eventsDeadLetteredCounter = counter(
  METRIC.eventsDeadLettered,
  "Events moved to the dead-letter subject, by subject and reason",
  [LABEL.subject, LABEL.reason],
);

export const handlerDurationHistogram = histogram(
  METRIC.handlerDuration,
  "Time an event handler took, in seconds, by subject",
  [LABEL.subject],
  HANDLER_BUCKETS_SECONDS,
);

export const grpcServerDurationHistogram = histogram(
  METRIC.grpcServerDuration,
  "Time a gRPC server call took, in seconds, by method and status code",
  [LABEL.grpcMethod, LABEL.grpcCode],
  GRPC_BUCKETS_SECONDS,
);

export const trainingDurationHistogram = histogram(
  METRIC.trainingDuration,
  "Time a training run took, in seconds, by dataset and outcome",
  [LABEL.dataset, LABEL.outcome],
  TRAINING_BUCKETS_SECONDS,
);

/** The value is the champion's version number; a promotion shows as a step. */
export const championVersionGauge = gauge(
  METRIC.championVersion,
  "Version number of the model currently promoted, by dataset",
  [LABEL.dataset],
);

export const consumerPendingMessagesGauge = gauge(
  METRIC.consumerPendingMessages,
  "Messages waiting in a durable JetStream consumer, by consumer",
  [LABEL.consumer],
);

/** The metrics every event-consuming service records. */
export function busMetrics(registry: Registry) {
  return {
    handled: eventsHandledCounter(registry),
    failed: eventsFailedCounter(registry),
    deadLettered: eventsDeadLetteredCounter(registry),
    handlerDuration: handlerDurationHistogram(registry),
  };
}

export type BusMetrics = ReturnType<typeof busMetrics>;
