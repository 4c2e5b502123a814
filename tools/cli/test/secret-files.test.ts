import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { loadCliConfig, resolveEnv } from "../src/config.ts";
import { REPO_ROOT } from "../src/layout.ts";

describe("the CLI's environment with credentials in files", () => {
  const dir = mkdtempSync(join(tmpdir(), "gyre-cli-secrets-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const envFile = join(dir, "env");
  writeFileSync(
    envFile,
    "export DATABASE_URL=postgres://postgres@127.0.0.1:5432/gyre\nexport NATS_PASSWORD=from-env-file\nexport S3_SECRET_KEY=local-secret\n",
  );
  const passwordFile = join(dir, "nats-password");
  writeFileSync(passwordFile, "from-secret-file\n");

  it("does not fill a variable from the env file when it is given as <NAME>_FILE", () => {
    const env = resolveEnv({ GYRE_ENV_FILE: envFile, NATS_USER: "gyre", NATS_PASSWORD_FILE: passwordFile });
    assert.equal(env.NATS_PASSWORD, undefined);
    assert.equal(env.S3_SECRET_KEY, "local-secret");
    assert.equal(loadCliConfig(env).NATS_PASSWORD, "from-secret-file");
  });
});

describe("the CLI's error output", () => {
  it("names an unreachable NATS without the password in NATS_URL", () => {
    const { PATH, HOME } = process.env;
    const run = spawnSync(process.execPath, [join(REPO_ROOT, "tools/cli/bin/gyre.js"), "datasets", "ls"], {
      env: { PATH, HOME, GYRE_ENV_FILE: "off", GYRE_DEBUG: "1", NATS_URL: "nats://gyre:cli-sekrit-9@127.0.0.1:1" },
      encoding: "utf8",
      timeout: 60_000,
    });
    assert.equal(run.status, 69, run.stderr);
    assert.match(run.stderr, /NATS at nats:\/\/gyre:\*\*\*@127\.0\.0\.1:1 \(NATS_URL\) is unreachable/);
    assert.ok(!`${run.stdout}${run.stderr}`.includes("cli-sekrit-9"));
  });
});
