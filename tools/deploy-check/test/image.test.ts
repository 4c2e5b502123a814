// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Compose and Dockerfile text, where ${VAR} is variable syntax
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { SERVICES, serviceCommand } from "@gyre/service";
import { copiedHeredoc, parseDockerfile } from "../src/dockerfile.ts";
import { ignored, imageProblems } from "../src/imageRules.ts";
import { formatProblem } from "../src/problem.ts";
import { imageInputs, readRepoFile } from "../src/repository.ts";
import { servicePorts } from "../src/serviceDefaults.ts";

const dockerfile = readRepoFile("Dockerfile");
const instructions = parseDockerfile(dockerfile);

function problemsOf(text: string): string[] {
  return imageProblems(imageInputs(text)).map(formatProblem);
}

function broken(from: string, to: string): string[] {
  assert.ok(dockerfile.includes(from), `the test's anchor text ${JSON.stringify(from)} is in the Dockerfile`);
  return problemsOf(dockerfile.replace(from, to));
}

describe("Dockerfile", () => {
  it("keeps every rule: pinned bases, lockfile install, tfjs-node at tfjs's version, SERVICE, non-root, healthcheck", () => {
    assert.deepEqual(problemsOf(dockerfile), []);
  });

  it("installs tfjs-node at exactly the @tensorflow/tfjs version of the lockfile", () => {
    const lockfile = JSON.parse(readRepoFile("package-lock.json")) as { packages: Record<string, { version: string }> };
    const tfjs = lockfile.packages["node_modules/@tensorflow/tfjs"]?.version;
    assert.equal(tfjs, "4.22.0");
    assert.match(dockerfile, new RegExp(`^ARG TFJS_NODE_VERSION=${tfjs}$`, "m"));
  });

  describe("a broken copy fails", () => {
    it("when it runs as root", () => {
      const userLine = dockerfile.split("\n").indexOf("USER 10001:10001") + 1;
      assert.deepEqual(broken("USER 10001:10001", "USER root"), [
        `Dockerfile line ${userLine}: USER root: run as a non-root user`,
      ]);
    });
    it("without a healthcheck", () => {
      assert.ok(
        broken("HEALTHCHECK --interval", "# HEALTHCHECK --interval").includes(
          "Dockerfile line runtime: HEALTHCHECK must run gyre-healthcheck on /healthz",
        ),
      );
    });
    it("when tfjs-node would bring its own tfjs-core", () => {
      assert.deepEqual(broken("ARG TFJS_NODE_VERSION=4.22.0", "ARG TFJS_NODE_VERSION=4.21.0"), [
        "Dockerfile line ARG TFJS_NODE_VERSION: 4.21.0: must equal @tensorflow/tfjs 4.22.0 of package-lock.json (one shared tfjs-core)",
      ]);
    });
    it("when its Node differs from .env and .nvmrc, or a base image is unpinned", () => {
      assert.deepEqual(broken("ARG NODE_VERSION=20.20.2", "ARG NODE_VERSION=22.11.0"), [
        "Dockerfile line ARG NODE_VERSION: 22.11.0: .env says 20.20.2",
        "Dockerfile line ARG NODE_VERSION: 22.11.0: .nvmrc says Node 20",
      ]);
      assert.ok(
        broken("FROM node:${NODE_VERSION}-bookworm AS deps", "FROM node:latest AS deps").includes(
          `Dockerfile line ${dockerfile.split("\n").indexOf("FROM node:${NODE_VERSION}-bookworm AS deps") + 1}: node:latest: pin the base image`,
        ),
      );
    });
    it("when services run TypeScript through tsx, or nothing compiles them", () => {
      const line = dockerfile.split("\n").findIndex((text) => text.startsWith("exec node $flags")) + 1;
      assert.ok(
        broken(
          'exec node $flags --import "./services/$SERVICE/dist/telemetry-register.js" "services/$SERVICE/dist/main.js"',
          'exec node $flags --import tsx --import @gyre/telemetry/register "services/$SERVICE/src/main.ts"',
        ).includes(
          `Dockerfile line ${line}: /usr/local/bin/gyre-service runs TypeScript through tsx: run services/$SERVICE/dist/main.js`,
        ),
      );
      assert.deepEqual(broken("RUN node --import tsx scripts/build.ts", "RUN true"), [
        "Dockerfile line build: no stage runs scripts/build.ts before the runtime: services/*/dist would be missing",
      ]);
    });
    it("when the service cannot be chosen", () => {
      assert.ok(
        broken("ENV SERVICE=${SERVICE}", "ENV SERVICEX=${SERVICE}").some((problem) =>
          problem.includes("ENV SERVICE=${SERVICE} is missing"),
        ),
      );
    });
  });
});

describe(".dockerignore", () => {
  const text = readRepoFile(".dockerignore");
  const cases: [string, boolean][] = [
    ["node_modules/tsx/package.json", true],
    ["libs/telemetry/node_modules/@opentelemetry/core/package.json", true],
    [".git/config", true],
    ["deploy/local/.run/env", true],
    ["services/trainer/test/loop.test.ts", true],
    ["proto/registry/registry.proto", false],
    ["libs/testkit/src/index.ts", false],
    ["services/trainer/migrations/1_runs.sql", false],
    ["services/serving/dist/main.js", true],
    ["package-lock.json", false],
  ];
  for (const [path, expected] of cases) {
    it(`${expected ? "leaves out" : "keeps"} ${path}`, () => assert.equal(ignored(text, path), expected));
  }
  it("re-includes with !, the last matching line winning", () => {
    assert.equal(ignored("docs\n!docs/keep.md\n", "docs/keep.md"), false);
    assert.equal(ignored("docs\n!docs/keep.md\n", "docs/drop.md"), true);
  });
});

describe("gyre-service (the image's command)", () => {
  const script = copiedHeredoc(instructions, "/usr/local/bin/gyre-service");
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "gyre-service-"));
    writeFileSync(join(dir, "gyre-service"), script ?? "");
    // A stand-in node that reports how it was called.
    writeFileSync(join(dir, "node"), '#!/bin/sh\nprintf \'%s\\n\' "$OTEL_SERVICE_NAME" "$@"\n');
    chmodSync(join(dir, "node"), 0o755);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = (env: Record<string, string>) =>
    spawnSync("sh", [join(dir, "gyre-service")], {
      encoding: "utf8",
      env: { PATH: `${dir}:/usr/bin:/bin`, ...env },
    });

  it("starts each compiled service exactly as libs/service's launcher does, named gyre-<service> for telemetry", () => {
    assert.ok(script, "the Dockerfile writes /usr/local/bin/gyre-service");
    for (const service of SERVICES) {
      const result = run({ SERVICE: service });
      assert.equal(result.status, 0, result.stderr);
      const { args } = serviceCommand(service, { compiled: true });
      assert.deepEqual(result.stdout.trimEnd().split("\n"), [`gyre-${service}`, ...args]);
      assert.ok(args.includes(`services/${service}/dist/main.js`));
      assert.ok(!args.includes("tsx"), "no TypeScript is compiled at run time");
    }
  });

  it("keeps an OTEL_SERVICE_NAME that is already set", () => {
    assert.equal(
      run({ SERVICE: "serving", OTEL_SERVICE_NAME: "serving-canary" }).stdout.split("\n")[0],
      "serving-canary",
    );
  });

  it("refuses an unknown or missing SERVICE with exit code 64, naming the value and the choices", () => {
    const environments: Record<string, string>[] = [{ SERVICE: "servng" }, {}];
    for (const env of environments) {
      const result = run(env);
      assert.equal(result.status, 64);
      assert.equal(result.stdout, "");
      assert.match(result.stderr, new RegExp(`SERVICE="${env.SERVICE ?? ""}": set it to one of ingestion, validation`));
    }
  });
});

describe("gyre-healthcheck (the image's HEALTHCHECK)", () => {
  const script = copiedHeredoc(instructions, "/usr/local/bin/gyre-healthcheck");
  let dir: string;
  let server: Server;
  let port: number;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "gyre-healthcheck-"));
    writeFileSync(join(dir, "gyre-healthcheck"), script ?? "");
    server = createServer((request, response) => {
      response.writeHead(request.url === "/healthz" ? 200 : 503).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  // Asynchronous: the server answering the check lives in this process, so its event loop must keep running.
  const check = (args: string[], env: Record<string, string>) =>
    new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [join(dir, "gyre-healthcheck"), ...args], { env, timeout: 10_000 });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString("utf8");
      });
      child.on("close", (status) => resolve({ status, stderr }));
    });

  it("passes when the endpoint answers 2xx and fails, saying why, when it answers otherwise", async () => {
    assert.equal((await check([], { METRICS_PORT: String(port) })).status, 0);
    const notReady = await check(["/readyz"], { METRICS_PORT: String(port) });
    assert.equal(notReady.status, 1);
    assert.match(notReady.stderr, new RegExp(`http://127.0.0.1:${port}/readyz answered 503`));
  });

  it("fails when nothing listens", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await check([], { METRICS_PORT: String(freePort) });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /ECONNREFUSED/);
  });

  it("knows each service's default metrics port, as its main.ts declares it", () => {
    const declared = /const DEFAULT_METRICS_PORTS = (\{[^}]*\});/.exec(script ?? "")?.[1];
    assert.ok(declared);
    const defaults = Function(`return (${declared});`)() as Record<string, number>;
    assert.deepEqual(
      defaults,
      Object.fromEntries(servicePorts().map(({ service, metricsPort }) => [service, metricsPort])),
    );
  });

  it("fails with a message when it has neither METRICS_PORT nor a known SERVICE", async () => {
    const result = await check([], { SERVICE: "" });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /no METRICS_PORT: nothing to check/);
  });
});
