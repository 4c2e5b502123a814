import { hostname } from "node:os";
import { type DestinationStream, type LevelWithSilent, type Logger, pino } from "pino";
import { censor, lineScrubber, REDACT_PATHS } from "./redaction.ts";
import { traceFields } from "./trace-fields.ts";

export type { Logger };

export interface LoggerOptions {
  /** The service name, on every line as `service`. */
  service: string;
  level?: LevelWithSilent;
  version?: string;
  /** Where lines go; stdout when omitted. */
  destination?: DestinationStream;
  /** Credential values (`secretValues(config)` from @gyre/config) to replace wherever they appear in a line. */
  secrets?: readonly string[];
}

/**
 * A JSON logger: one line per event with `level` as a word, `time` in ISO 8601, `service`, `version`,
 * the active span's `trace_id`/`span_id`, errors under `err`, and credentials redacted: by field name, the password
 * of any URL in the line, and every known secret value wherever it appears.
 */
export function createLogger({ service, level = "info", version, destination, secrets = [] }: LoggerOptions): Logger {
  return pino(
    {
      level,
      base: { service, ...(version === undefined ? {} : { version }), pid: process.pid, hostname: hostname() },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: traceFields,
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
      redact: { paths: REDACT_PATHS, censor },
      hooks: { streamWrite: lineScrubber(secrets) },
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
