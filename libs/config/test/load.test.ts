import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { EX_CONFIG, loadConfig, natsEnv, opsEnv, s3Env } from "@gyre/config";
import { z } from "zod";
import { catchConfigError } from "./catch-config-error.ts";

const serviceStart = fileURLToPath(new URL("./fixtures/service-start.ts", import.meta.url));
const schema = z.object({ ...natsEnv, ...s3Env, ...opsEnv(9464) });

function runServiceStart(env: Record<string, string>) {
  const { PATH, HOME } = process.env;
  return spawnSync(process.execPath, ["--import", "tsx", serviceStart], {
    env: { PATH, HOME, ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
}

describe("loadConfig", () => {
  it("lists every bad and missing variable in one ConfigError", () => {
    const error = catchConfigError(() =>
      loadConfig(schema, { METRICS_PORT: "abc", S3_ENDPOINT: "ftp://x", S3_ACCESS_KEY: "ak" }),
    );
    assert.equal(error.name, "ConfigError");
    assert.deepEqual(error.problems, [
      { variable: "S3_ENDPOINT", value: "ftp://x", problem: "expected a URL starting with http:// or https://" },
      { variable: "S3_SECRET_KEY", problem: "expected a non-empty value" },
      { variable: "METRICS_PORT", value: "abc", problem: "expected an integer 0-65535" },
    ]);
    assert.match(error.message, /METRICS_PORT="abc": expected an integer 0-65535/);
  });

  it("masks the values of secret variables and the password in URLs", () => {
    const secrets = { NATS_PASSWORD: "hunter2-pass", NATS_TOKEN: "tok-123", S3_SECRET_KEY: "s3-secret-value" };
    const error = catchConfigError(() =>
      loadConfig(z.object({ NATS_PASSWORD: z.literal("x"), NATS_TOKEN: z.literal("x"), ...s3Env }), {
        ...secrets,
        S3_ENDPOINT: "ftp://user:url-pass@x",
      }),
    );
    for (const secret of [...Object.values(secrets), "url-pass"]) assert.ok(!error.message.includes(secret), secret);
    assert.match(error.message, /NATS_TOKEN="\*\*\*"/);
    assert.match(error.message, /S3_ENDPOINT="ftp:\/\/user:\*\*\*@x"/);
  });

  it("returns the typed config when every variable is valid", () => {
    const config = loadConfig(schema, { S3_ENDPOINT: "http://x", S3_ACCESS_KEY: "ak", S3_SECRET_KEY: "sk" });
    assert.equal(config.METRICS_PORT, 9464);
    assert.equal(config.S3_BUCKET, "gyre");
  });
});

describe("loadConfigOrExit", () => {
  const valid = { S3_ENDPOINT: "http://127.0.0.1:9000", S3_ACCESS_KEY: "ak", S3_SECRET_KEY: "never-print-me" };

  it("exits 78 naming the bad variable and its value, and never prints a secret", () => {
    const run = runServiceStart({ ...valid, METRICS_PORT: "abc", NATS_PASSWORD: "hunter2-secret" });
    assert.equal(run.status, EX_CONFIG, run.stderr);
    assert.match(run.stderr, /METRICS_PORT="abc": expected an integer 0-65535/);
    const logLine = JSON.parse(run.stdout.trim());
    assert.equal(logLine.level, "fatal");
    assert.equal(logLine.msg, "invalid configuration");
    assert.deepEqual(logLine.problems, [
      { variable: "METRICS_PORT", value: "abc", problem: "expected an integer 0-65535" },
    ]);
    for (const secret of ["never-print-me", "hunter2-secret"]) {
      assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret), `${secret} was printed`);
    }
  });

  it("masks a bad secret variable in both the log line and stderr", () => {
    const run = runServiceStart({ S3_ENDPOINT: "http://x", S3_ACCESS_KEY: "ak", S3_SECRET_KEY: "" });
    assert.equal(run.status, EX_CONFIG);
    assert.match(run.stderr, /S3_SECRET_KEY is not set/);
    const secretRun = runServiceStart({ ...valid, NATS_URL: "http://u:p4ssw0rd@x" });
    assert.equal(secretRun.status, EX_CONFIG);
    assert.match(secretRun.stderr, /NATS_URL="http:\/\/u:\*\*\*@x\/?"/);
    assert.ok(!`${secretRun.stdout}${secretRun.stderr}`.includes("p4ssw0rd"));
  });

  it("starts normally when the configuration is valid", () => {
    const run = runServiceStart({ ...valid, METRICS_PORT: "9100" });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout.trim()), { msg: "started", port: 9100 });
  });
});
