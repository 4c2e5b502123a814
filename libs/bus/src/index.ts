export { type ConsumerBacklog, consumerBacklogs, consumerStatus, deleteStreams, readDlq } from "./admin.ts";
export { Bus, type BusOptions, connectBus } from "./bus.ts";
export { BusConnectError } from "./connect-error.ts";
export type {
  BusObserver,
  ConsumeOptions,
  EventHandler,
  HandlerContext,
} from "./consume-options.ts";
export { type ConsumerCounters, EventConsumer as Consumer } from "./consumer.ts";
export { type DeadLetter, DLQ_HEADERS, type ReadDlqOptions } from "./dead-letter.ts";
export type { ConsumerStatus } from "./durable.ts";
export { InvalidEventError, PermanentError, ProvisioningError } from "./errors.ts";
export { MAX_EVENT_BYTES } from "./event-check.ts";
export type { PublishResult } from "./publish.ts";
export type { BusStatusEvent, BusStatusLevel, BusStatusListener } from "./status.ts";
export { type StreamNames, type StreamOptions, streamNames } from "./streams.ts";
export {
  extractTraceContext,
  injectTraceContext,
  MESSAGING_ATTRIBUTES,
  natsHeaderGetter,
  natsHeaderSetter,
  recordSpanError,
  withConsumerSpan,
  withProducerSpan,
} from "./tracing.ts";
export { isTransientError } from "./transient.ts";
