import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  databaseEnv,
  describeProblem,
  loadConfig,
  namespaceEnv,
  natsEnv,
  opsEnv,
  s3Env,
  telemetryEnv,
} from "@gyre/config";
import { z } from "zod";
import { catchConfigError } from "./catch-config-error.ts";

const s3Required = { S3_ENDPOINT: "http://127.0.0.1:9000", S3_ACCESS_KEY: "ak", S3_SECRET_KEY: "sk" };

function problemsOf(run: () => unknown): string[] {
  return catchConfigError(run).problems.map(describeProblem);
}

describe("config fragments", () => {
  it("apply their defaults to an empty environment", () => {
    const config = loadConfig(z.object({ ...natsEnv, ...namespaceEnv, ...telemetryEnv, ...opsEnv(9464) }), {});
    assert.deepEqual(config, {
      NATS_URL: "nats://127.0.0.1:4222",
      GYRE_NAMESPACE: "gyre",
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318",
      OTEL_SDK_DISABLED: false,
      SERVICE_VERSION: "dev",
      LOG_LEVEL: "info",
      METRICS_PORT: 9464,
    });
    assert.deepEqual(loadConfig(z.object(s3Env), s3Required), {
      ...s3Required,
      S3_REGION: "us-east-1",
      S3_BUCKET: "gyre",
    });
  });

  it("treat an empty variable as unset", () => {
    assert.equal(loadConfig(z.object(opsEnv(9000)), { METRICS_PORT: "" }).METRICS_PORT, 9000);
  });

  const cases: { name: string; shape: z.ZodRawShape; env: Record<string, string>; problem: string }[] = [
    {
      name: "namespace with a capital and a space",
      shape: namespaceEnv,
      env: { GYRE_NAMESPACE: "Bad NS" },
      problem: 'GYRE_NAMESPACE="Bad NS": names start with a-z, then use a-z, 0-9, "-" and "_", at most 63 characters',
    },
    {
      name: "NATS URL with an http scheme",
      shape: natsEnv,
      env: { NATS_URL: "nats://a:4222,http://b:4222" },
      problem:
        'NATS_URL="nats://a:4222,http://b:4222": expected nats:// URLs separated by commas (or tls://, ws://, wss://)',
    },
    {
      name: "missing DATABASE_URL",
      shape: databaseEnv,
      env: {},
      problem: "DATABASE_URL is not set: expected a URL starting with postgres:// or postgresql://",
    },
    {
      name: "DATABASE_URL of another database, password masked",
      shape: databaseEnv,
      env: { DATABASE_URL: "mysql://gyre:hunter2@db/gyre" },
      problem: 'DATABASE_URL="mysql://gyre:***@db/gyre": expected a URL starting with postgres:// or postgresql://',
    },
    {
      name: "S3 bucket with capitals",
      shape: s3Env,
      env: { ...s3Required, S3_BUCKET: "Models" },
      problem:
        'S3_BUCKET="Models": expected a bucket name: 3-63 characters of a-z, 0-9, "." and "-", starting and ending with a-z or 0-9',
    },
    {
      name: "unknown log level",
      shape: telemetryEnv,
      env: { LOG_LEVEL: "loud" },
      problem: 'LOG_LEVEL="loud": expected one of fatal, error, warn, info, debug, trace, silent',
    },
    {
      name: "OTEL_SDK_DISABLED that is not a boolean",
      shape: telemetryEnv,
      env: { OTEL_SDK_DISABLED: "maybe" },
      problem: 'OTEL_SDK_DISABLED="maybe": expected true or false (or 1/0, yes/no, on/off)',
    },
    {
      name: "metrics port that is not a number",
      shape: opsEnv(9464),
      env: { METRICS_PORT: "abc" },
      problem: 'METRICS_PORT="abc": expected an integer 0-65535',
    },
  ];
  for (const { name, shape, env, problem } of cases) {
    it(`reject ${name}`, () => {
      assert.deepEqual(
        problemsOf(() => loadConfig(z.object(shape), env)),
        [problem],
      );
    });
  }
});
