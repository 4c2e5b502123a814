/** Endpoints of the real infrastructure that tests run against. Set by `npm test` (deploy/local) or by the caller. */
export interface Infra {
  natsUrl: string;
  databaseUrl: string;
  s3: { endpoint: string; accessKey: string; secretKey: string; region: string };
  otlpEndpoint: string;
  jaegerQueryUrl: string;
}

export class InfraUnavailableError extends Error {
  override name = "InfraUnavailableError";
}

const HOW_TO_START =
  "run the tests with `npm test` (it starts deploy/local), or run `bash deploy/local/up.sh` and `source deploy/local/.run/env`";

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new InfraUnavailableError(`${name} is not set: ${HOW_TO_START}`);
  return value;
}

export function infraFromEnv(env: NodeJS.ProcessEnv = process.env): Infra {
  return {
    natsUrl: required(env, "NATS_URL"),
    databaseUrl: required(env, "DATABASE_URL"),
    s3: {
      endpoint: required(env, "S3_ENDPOINT"),
      accessKey: required(env, "S3_ACCESS_KEY"),
      secretKey: required(env, "S3_SECRET_KEY"),
      region: env.S3_REGION ?? "us-east-1",
    },
    otlpEndpoint: required(env, "OTEL_EXPORTER_OTLP_ENDPOINT"),
    jaegerQueryUrl: required(env, "JAEGER_QUERY_URL"),
  };
}

/** A short unique lowercase id, valid as a namespace, schema, bucket suffix or dataset name. */
export function uniqueId(prefix = "t"): string {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}
