export { createLogger, type Logger, type LoggerOptions } from "./logger.ts";
export { REDACT_PATHS } from "./redaction.ts";
export { type TraceFields, traceFields } from "./trace-fields.ts";
