import { existsSync, readFileSync } from "node:fs";
import { envField, FILE_SUFFIX, grpcTlsEnv, loadConfig, namespaceEnv, natsEnv, s3Env } from "@gyre/config";
import { z } from "zod";
import { grpcAddressVariable, LOCAL_ENV_FILE, metricsAddressVariable, SERVICE_ENDPOINTS } from "./layout.ts";

const address = () =>
  envField("expected host:port", (raw) => (/^[A-Za-z0-9.[\]:-]+:\d{1,5}$/.test(raw) ? raw : undefined));

function addressFields(): Record<string, z.ZodType<string>> {
  const fields: Record<string, z.ZodType<string>> = {};
  for (const endpoint of SERVICE_ENDPOINTS) {
    fields[metricsAddressVariable(endpoint.service)] = address().default(`127.0.0.1:${endpoint.metricsPort}`);
    if ("grpcPort" in endpoint) {
      fields[grpcAddressVariable(endpoint.service)] = address().default(`127.0.0.1:${endpoint.grpcPort}`);
    }
  }
  return fields;
}

/** TLS for the CLI's gRPC calls: the client half of the services' grpcTlsEnv. */
const clientTlsEnv = {
  GRPC_CLIENT_TLS_CA: grpcTlsEnv.GRPC_CLIENT_TLS_CA,
  GRPC_CLIENT_TLS_CERT: grpcTlsEnv.GRPC_CLIENT_TLS_CERT,
  GRPC_CLIENT_TLS_KEY: grpcTlsEnv.GRPC_CLIENT_TLS_KEY,
};

const cliSchema = z.object({ ...natsEnv, ...namespaceEnv, ...clientTlsEnv, ...addressFields() });
export type CliConfig = z.output<typeof cliSchema> & Record<string, string>;

const s3Schema = z.object(s3Env);
export type S3Config = z.output<typeof s3Schema>;

type Env = Record<string, string | undefined>;

/**
 * Reads `export NAME=value` / `NAME=value` lines as a shell would for simple values: comments and blank lines are
 * skipped, one pair of surrounding quotes is removed.
 */
export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) continue;
    const [, name = "", raw = ""] = match;
    const value = raw.trim();
    const quoted = /^(["'])(.*)\1$/.exec(value);
    values[name] = quoted ? (quoted[2] ?? "") : value;
  }
  return values;
}

/**
 * The environment the CLI works with: its own, plus the variables of deploy/local/.run/env (or GYRE_ENV_FILE; "off"
 * for none) that are unset or empty here, unless given as `<NAME>_FILE`. The same environment goes to the services
 * `gyre up` starts.
 */
export function resolveEnv(env: Env = process.env): Env {
  const file = env.GYRE_ENV_FILE || LOCAL_ENV_FILE;
  if (file === "off" || !existsSync(file)) return { ...env };
  const merged: Env = { ...env };
  for (const [name, value] of Object.entries(parseEnvFile(readFileSync(file, "utf8")))) {
    // A credential given as <NAME>_FILE here wins over the file's NAME (both set would be a configuration error).
    const fromFile = merged[`${name}${FILE_SUFFIX}`];
    if ((merged[name] === undefined || merged[name] === "") && !fromFile) merged[name] = value;
  }
  return merged;
}

/** NATS, namespace and service addresses; throws a ConfigError naming every bad variable. */
export function loadCliConfig(env: Env): CliConfig {
  return loadConfig(cliSchema, env) as CliConfig;
}

/** The S3 variables, read only by the commands that upload. */
export function loadS3Config(env: Env): S3Config {
  return loadConfig(s3Schema, env);
}
