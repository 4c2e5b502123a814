export { type BusObserver, busObserver } from "./bus-observer.ts";
export {
  type BusMetrics,
  busMetrics,
  championVersionGauge,
  consumerPendingMessagesGauge,
  createMetricsRegistry,
  eventsDeadLetteredCounter,
  eventsFailedCounter,
  eventsHandledCounter,
  GRPC_BUCKETS_SECONDS,
  grpcServerDurationHistogram,
  HANDLER_BUCKETS_SECONDS,
  handlerDurationHistogram,
  type MetricsRegistryOptions,
  TRAINING_BUCKETS_SECONDS,
  trainingDurationHistogram,
} from "./metrics.ts";
export { ATTR, type GyreAttribute, type GyreMetric, LABEL, METRIC, promLabel } from "./names.ts";
export {
  CheckTimeoutError,
  type OpsServer,
  type OpsServerOptions,
  type ReadinessCheck,
  startOpsServer,
} from "./ops-server.ts";
export { preloadTelemetry } from "./preload.ts";
export {
  DEFAULT_OTLP_ENDPOINT,
  shutdownTelemetry,
  startTelemetry,
  type Telemetry,
  TelemetryAlreadyStartedError,
  type TelemetryOptions,
  traceExporterUrl,
} from "./sdk.ts";
