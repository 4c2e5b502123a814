import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import {
  acceptsFile,
  databaseEnv,
  describeProblem,
  EX_CONFIG,
  loadConfig,
  maskUrlPasswords,
  natsEnv,
  opsEnv,
  s3Env,
} from "@gyre/config";
import { z } from "zod";
import { catchConfigError } from "./catch-config-error.ts";

const dir = mkdtempSync(join(tmpdir(), "gyre-config-secrets-"));
after(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
function secretFile(content: string): string {
  const path = join(dir, `secret-${fileCount++}`);
  writeFileSync(path, content, { mode: 0o600 });
  return path;
}

const schema = z.object({ ...databaseEnv, ...s3Env, ...natsEnv });
const s3Endpoint = { S3_ENDPOINT: "http://127.0.0.1:9000" };

describe("secrets from <NAME>_FILE", () => {
  it("reads each credential from its file, without the trailing newline", () => {
    const config = loadConfig(schema, {
      ...s3Endpoint,
      DATABASE_URL_FILE: secretFile("postgres://gyre:pg-file-pass@db:5432/gyre\n"),
      S3_ACCESS_KEY_FILE: secretFile("access-from-file\r\n"),
      S3_SECRET_KEY_FILE: secretFile("secret-from-file\n"),
      NATS_USER_FILE: secretFile("ingestion"),
      NATS_PASSWORD_FILE: secretFile("nats-pass-from-file\n\n"),
      NATS_TOKEN_FILE: secretFile("token-from-file\n"),
    });
    assert.equal(config.DATABASE_URL, "postgres://gyre:pg-file-pass@db:5432/gyre");
    assert.equal(config.S3_ACCESS_KEY, "access-from-file");
    assert.equal(config.S3_SECRET_KEY, "secret-from-file");
    assert.equal(config.NATS_USER, "ingestion");
    assert.equal(config.NATS_PASSWORD, "nats-pass-from-file");
    assert.equal(config.NATS_TOKEN, "token-from-file");
  });

  it("keeps spaces and newlines inside the value; only trailing newlines go", () => {
    const config = loadConfig(z.object({ NATS_PASSWORD: z.string() }), {
      NATS_PASSWORD_FILE: secretFile("two\nlines and spaces \n"),
    });
    assert.equal(config.NATS_PASSWORD, "two\nlines and spaces ");
  });

  it("rejects NAME and NAME_FILE set together, naming both", () => {
    const error = catchConfigError(() =>
      loadConfig(schema, {
        ...s3Endpoint,
        S3_ACCESS_KEY: "ak",
        S3_SECRET_KEY: "sk-in-env",
        S3_SECRET_KEY_FILE: secretFile("sk-in-file"),
        DATABASE_URL: "postgres://db/gyre",
      }),
    );
    assert.deepEqual(error.problems.map(describeProblem), [
      'S3_SECRET_KEY="***": S3_SECRET_KEY and S3_SECRET_KEY_FILE are both set; set only one of them',
    ]);
    assert.ok(!error.message.includes("sk-in-env") && !error.message.includes("sk-in-file"));
  });

  it("rejects a missing file naming the variable and the path, and reports it once", () => {
    const missing = join(dir, "no-such-file");
    const error = catchConfigError(() =>
      loadConfig(schema, { ...s3Endpoint, S3_ACCESS_KEY: "ak", S3_SECRET_KEY: "sk", DATABASE_URL_FILE: missing }),
    );
    assert.deepEqual(error.problems, [
      {
        variable: "DATABASE_URL_FILE",
        value: missing,
        problem: "cannot read the file: ENOENT: no such file or directory",
      },
    ]);
  });

  it("rejects a file it may not read and a directory, never printing a secret file's content", () => {
    const unreadable = secretFile("unreadable-secret-content");
    chmodSync(unreadable, 0o000);
    const env = { ...s3Endpoint, S3_ACCESS_KEY: "ak", S3_SECRET_KEY_FILE: unreadable, DATABASE_URL_FILE: dir };
    const asRoot = process.getuid?.() === 0;
    const error = catchConfigError(() => loadConfig(schema, env));
    const byVariable = new Map(error.problems.map((problem) => [problem.variable, problem]));
    assert.match(byVariable.get("DATABASE_URL_FILE")?.problem ?? "", /cannot read the file: EISDIR/);
    assert.equal(byVariable.get("DATABASE_URL_FILE")?.value, dir);
    // root reads any file, so the permission case only fails for other users.
    if (!asRoot) assert.match(byVariable.get("S3_SECRET_KEY_FILE")?.problem ?? "", /cannot read the file: EACCES/);
    assert.ok(!error.message.includes("unreadable-secret-content"));
    assert.match(error.message, new RegExp(`DATABASE_URL_FILE="${dir}": cannot read the file`));
  });

  it("rejects an empty file", () => {
    const empty = secretFile("\n");
    const error = catchConfigError(() => loadConfig(z.object({ NATS_TOKEN: z.string() }), { NATS_TOKEN_FILE: empty }));
    assert.deepEqual(error.problems, [
      { variable: "NATS_TOKEN_FILE", value: empty, problem: "the file is empty; it should hold NATS_TOKEN" },
    ]);
  });

  it("names the file a bad value came from and masks the password in it", () => {
    const path = secretFile("mysql://gyre:file-pass-9@db/gyre\n");
    const error = catchConfigError(() => loadConfig(z.object(databaseEnv), { DATABASE_URL_FILE: path }));
    assert.deepEqual(error.problems.map(describeProblem), [
      `DATABASE_URL="mysql://gyre:***@db/gyre" (from DATABASE_URL_FILE="${path}"): expected a URL starting with postgres:// or postgresql://`,
    ]);
    assert.ok(!error.message.includes("file-pass-9"));
  });

  it("ignores _FILE variables the schema does not have and non-credential variables", () => {
    const config = loadConfig(z.object(opsEnv(9464)), {
      METRICS_PORT_FILE: secretFile("1234"),
      DATABASE_URL_FILE: join(dir, "not-read"),
    });
    assert.equal(config.METRICS_PORT, 9464);
  });

  it("accepts files for credentials only", () => {
    for (const name of ["DATABASE_URL", "NATS_URL", "S3_ACCESS_KEY", "S3_SECRET_KEY", "NATS_USER", "NATS_PASSWORD"]) {
      assert.ok(acceptsFile(name), name);
    }
    for (const name of ["METRICS_PORT", "S3_BUCKET", "NATS_TLS_KEY", "GRPC_TLS_KEY", "DATABASE_URL_FILE"]) {
      assert.ok(!acceptsFile(name), name);
    }
  });

  it("a service stops with EX_CONFIG naming an unreadable secret file", () => {
    const serviceStart = fileURLToPath(new URL("./fixtures/service-start.ts", import.meta.url));
    const missing = join(dir, "missing-secret");
    const { PATH, HOME } = process.env;
    const run = spawnSync(process.execPath, ["--import", "tsx", serviceStart], {
      env: { PATH, HOME, ...s3Endpoint, S3_ACCESS_KEY: "ak", S3_SECRET_KEY_FILE: missing },
      encoding: "utf8",
      timeout: 30_000,
    });
    assert.equal(run.status, EX_CONFIG, run.stderr);
    assert.match(run.stderr, new RegExp(`S3_SECRET_KEY_FILE="${missing}": cannot read the file: ENOENT`));
    assert.doesNotMatch(run.stderr, /S3_SECRET_KEY is not set/);
  });
});

describe("maskUrlPasswords", () => {
  it("masks the password of every URL in a text and keeps the rest", () => {
    assert.equal(
      maskUrlPasswords('NATS at nats://a:4222,nats://svc:pw-1@b:4222 and "postgres://gyre:pw%2F2@db/gyre" failed'),
      'NATS at nats://a:4222,nats://svc:***@b:4222 and "postgres://gyre:***@db/gyre" failed',
    );
    assert.equal(maskUrlPasswords("http://user@host:9000/x"), "http://user@host:9000/x");
  });

  it("takes linear time on a long text full of scheme-like runs", () => {
    const text = `${"a".repeat(200_000)}://${"b:".repeat(50_000)}`;
    const started = performance.now();
    maskUrlPasswords(text);
    assert.ok(performance.now() - started < 2000, "masking a 300 kB text took over 2 s");
  });
});
