import { namespaceSchema } from "@gyre/contracts";
import { boolean, envField, integer, oneOf, port, text, url } from "./fields.ts";

/**
 * Reusable pieces of a service's environment schema, one name per address or port. Combine them:
 * `loadConfigOrExit(z.object({ ...natsEnv, ...telemetryEnv, ...opsEnv(9464) }))`.
 */

const natsServerUrl = url(["nats", "tls", "ws", "wss"]);

/** NATS_URL may list several servers separated by commas. */
export const natsEnv = {
  NATS_URL: envField("expected nats:// URLs separated by commas (or tls://, ws://, wss://)", (raw) =>
    raw.split(",").every((server) => natsServerUrl.safeParse(server.trim()).success) ? raw : undefined,
  ).default("nats://127.0.0.1:4222"),
  NATS_USER: text().optional(),
  NATS_PASSWORD: text().optional(),
  NATS_TOKEN: text().optional(),
  /** A file holding an nkey user seed (`SU...`); the seed is never logged. */
  NATS_NKEY_SEED_FILE: text("expected the path of a file holding an nkey user seed").optional(),
  /** A .creds file (user JWT and seed) for decentralized JWT authentication. */
  NATS_CREDS_FILE: text("expected the path of a .creds file").optional(),
  /** Paths of PEM files. */
  NATS_TLS_CA: text("expected the path of a PEM file").optional(),
  NATS_TLS_CERT: text("expected the path of a PEM file").optional(),
  NATS_TLS_KEY: text("expected the path of a PEM file").optional(),
  /** Replicas of the namespace's streams in a NATS cluster; unset keeps what the streams have (1 when new). */
  NATS_STREAM_REPLICAS: integer({ min: 1, max: 5 }).optional(),
};

/**
 * gRPC TLS, paths of PEM files. The server: GRPC_TLS_CERT and GRPC_TLS_KEY turn TLS on, GRPC_TLS_CLIENT_AUTH=require
 * with GRPC_TLS_CA asks every client for a certificate signed by that CA (mTLS). Outgoing calls to other services:
 * any GRPC_CLIENT_TLS_* turns TLS on, trusting GRPC_CLIENT_TLS_CA (the system's CAs when unset) and presenting
 * GRPC_CLIENT_TLS_CERT/KEY when set. Unset: plaintext.
 */
export const grpcTlsEnv = {
  GRPC_TLS_CERT: text("expected the path of a PEM file").optional(),
  GRPC_TLS_KEY: text("expected the path of a PEM file").optional(),
  GRPC_TLS_CA: text("expected the path of a PEM file").optional(),
  GRPC_TLS_CLIENT_AUTH: oneOf(["none", "require"]).default("none"),
  GRPC_CLIENT_TLS_CA: text("expected the path of a PEM file").optional(),
  GRPC_CLIENT_TLS_CERT: text("expected the path of a PEM file").optional(),
  GRPC_CLIENT_TLS_KEY: text("expected the path of a PEM file").optional(),
};

export const namespaceEnv = {
  GYRE_NAMESPACE: envField("expected a namespace", (raw) => raw)
    .check((ctx) => {
      const result = namespaceSchema.safeParse(ctx.value);
      if (result.success) return;
      // namespaceSchema's message repeats the value; loadConfig already shows it.
      const message = result.error.issues[0]?.message ?? "invalid namespace";
      ctx.issues.push({
        code: "custom",
        input: ctx.value,
        message: message.replace(`namespace ${JSON.stringify(ctx.value)}: `, ""),
      });
    })
    .default("gyre"),
};

export const databaseEnv = {
  DATABASE_URL: url(["postgres", "postgresql"]),
};

/** Bucket names as S3 allows them: 3-63 characters of a-z, 0-9, "." and "-", starting and ending with a letter or digit. */
const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export const s3Env = {
  S3_ENDPOINT: url(["http", "https"]),
  S3_ACCESS_KEY: text(),
  S3_SECRET_KEY: text(),
  S3_REGION: text().default("us-east-1"),
  S3_BUCKET: envField(
    'expected a bucket name: 3-63 characters of a-z, 0-9, "." and "-", starting and ending with a-z or 0-9',
    (raw) => (BUCKET_PATTERN.test(raw) ? raw : undefined),
  ).default("gyre"),
};

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const telemetryEnv = {
  /** Base URL of an OTLP/HTTP receiver; traces go to `${OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces`. */
  OTEL_EXPORTER_OTLP_ENDPOINT: url(["http", "https"]).default("http://127.0.0.1:4318"),
  OTEL_SDK_DISABLED: boolean().default(false),
  /** Set by the deployment; services pass their own name when it is unset. */
  OTEL_SERVICE_NAME: text().optional(),
  SERVICE_VERSION: text().default("dev"),
  LOG_LEVEL: oneOf(LOG_LEVELS).default("info"),
};

/** METRICS_PORT: the HTTP port for /metrics, /healthz and /readyz. */
export function opsEnv(defaultPort: number) {
  return { METRICS_PORT: port().default(defaultPort) };
}
