import {
  envField,
  grpcTlsEnv,
  LOG_LEVELS,
  loadConfig,
  namespaceEnv,
  natsEnv,
  oneOf,
  port,
  text,
  url,
} from "@gyre/config";
import { SERVICE_ENDPOINTS } from "@gyre/config/endpoints";
import { z } from "zod";

/** The seven services in loop order, with the ports their addresses default to (those of `gyre up`). */
export const SERVICES = SERVICE_ENDPOINTS;

export function variableOf(service: string, kind: "GRPC" | "METRICS"): string {
  return `${service.toUpperCase().replaceAll("-", "_")}_${kind}_ADDR`;
}

const address = () =>
  envField("expected host:port", (raw) => (/^[A-Za-z0-9.[\]:-]+:\d{1,5}$/.test(raw) ? raw : undefined));

function addressFields(): Record<string, z.ZodType<string>> {
  const fields: Record<string, z.ZodType<string>> = {};
  for (const endpoint of SERVICES) {
    fields[variableOf(endpoint.service, "METRICS")] = address().default(`127.0.0.1:${endpoint.metricsPort}`);
    if ("grpcPort" in endpoint) {
      fields[variableOf(endpoint.service, "GRPC")] = address().default(`127.0.0.1:${endpoint.grpcPort}`);
    }
  }
  return fields;
}

const schema = z.object({
  ...natsEnv,
  ...namespaceEnv,
  GRPC_CLIENT_TLS_CA: grpcTlsEnv.GRPC_CLIENT_TLS_CA,
  GRPC_CLIENT_TLS_CERT: grpcTlsEnv.GRPC_CLIENT_TLS_CERT,
  GRPC_CLIENT_TLS_KEY: grpcTlsEnv.GRPC_CLIENT_TLS_KEY,
  /** Where the console listens: loopback unless told otherwise (compose and k8s set 0.0.0.0). */
  CONSOLE_HOST: text("expected a host name or IP address").default("127.0.0.1"),
  CONSOLE_PORT: port().default(3000),
  LOG_LEVEL: oneOf(LOG_LEVELS).default("info"),
  /** Allows promote and rollback; without it the console is read-only. Also as GYRE_OPERATOR_TOKEN_FILE. */
  GYRE_OPERATOR_TOKEN: envField("expected at least 16 characters", (raw) =>
    raw.length >= 16 ? raw : undefined,
  ).optional(),
  JAEGER_QUERY_URL: url(["http", "https"]).default("http://127.0.0.1:16686"),
  /** A Jaeger UI to link traces to (compose runs one); none by default. */
  JAEGER_UI_URL: url(["http", "https"]).optional(),
  ...addressFields(),
});

export type ConsoleConfig = z.output<typeof schema> & Record<string, string>;

/** Parses the environment once; throws a ConfigError naming every bad variable. */
export function loadConsoleConfig(env: Record<string, string | undefined> = process.env): ConsoleConfig {
  return loadConfig(schema, env) as ConsoleConfig;
}
