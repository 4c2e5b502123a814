import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { REPO_ROOT } from "@gyre/service";
import { buildTarget, TARGETS } from "../../../scripts/build.ts";
import { compiledIsCurrent } from "../bin/compiled.js";

const directoryUrl = (path: string) => pathToFileURL(`${path}/`);

describe("compiledIsCurrent (which CLI tools/cli/bin/gyre.js runs)", () => {
  let root: string;
  const dist = () => directoryUrl(join(root, "dist"));
  const source = (name: string) => join(root, "src", name);
  const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds);

  before(() => {
    root = mkdtempSync(join(tmpdir(), "gyre-compiled-"));
    mkdirSync(join(root, "src"));
    mkdirSync(join(root, "dist"));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  function build(inputs: string[], builtAt: number): void {
    for (const input of inputs) {
      writeFileSync(join(root, input), "export {};\n");
      at(join(root, input), builtAt - 10);
    }
    writeFileSync(join(root, "dist", "inputs.json"), JSON.stringify({ inputs }));
    at(join(root, "dist", "inputs.json"), builtAt);
  }

  it("is current when every source is older than the build", () => {
    build(["src/main.ts", "src/run.ts"], 1_000_000);
    assert.equal(compiledIsCurrent(dist(), directoryUrl(root)), true);
  });

  it("is stale when a source changed after the build", () => {
    build(["src/main.ts", "src/run.ts"], 1_000_000);
    at(source("run.ts"), 1_000_001);
    assert.equal(compiledIsCurrent(dist(), directoryUrl(root)), false);
  });

  it("is stale when a source of the build is gone", () => {
    build(["src/main.ts", "src/gone.ts"], 1_000_000);
    rmSync(source("gone.ts"));
    assert.equal(compiledIsCurrent(dist(), directoryUrl(root)), false);
  });

  it("is stale when there is no build, or it lists no sources", () => {
    assert.equal(compiledIsCurrent(directoryUrl(join(root, "nowhere")), directoryUrl(root)), false);
    build([], 1_000_000);
    assert.equal(compiledIsCurrent(dist(), directoryUrl(root)), false);
  });
});

describe("the compiled CLI", () => {
  const cli = TARGETS.find((target) => target.outdir === "tools/cli/dist");
  before(async () => {
    assert.ok(cli, "scripts/build.ts builds tools/cli/dist");
    await buildTarget(cli);
  });

  const run = (args: string[]) =>
    execFileSync(process.execPath, args, { cwd: REPO_ROOT, encoding: "utf8", env: { PATH: process.env.PATH } });

  it("is what the bin runs after a build, and answers --help as the TypeScript does", () => {
    assert.equal(compiledIsCurrent(directoryUrl(join(REPO_ROOT, "tools/cli/dist")), directoryUrl(REPO_ROOT)), true);
    const compiled = run(["tools/cli/bin/gyre.js", "--help"]);
    assert.match(compiled, /^Usage: gyre \[options\] \[command\]/);
    assert.equal(compiled, run(["--import", "tsx", "tools/cli/src/main.ts", "--help"]));
  });

  it("imports no TypeScript: every relative import of the build is a .js file of the build", () => {
    const { inputs } = JSON.parse(readFileSync(join(REPO_ROOT, "tools/cli/dist/inputs.json"), "utf8")) as {
      inputs: string[];
    };
    assert.ok(inputs.includes("tools/cli/src/main.ts"));
    const main = readFileSync(join(REPO_ROOT, "tools/cli/dist/main.js"), "utf8");
    const imported = [...main.matchAll(/from "(\.[^"]+)"|import\("(\.[^"]+)"\)/g)].map((m) => m[1] ?? m[2]);
    assert.ok(imported.length > 0);
    for (const path of imported) assert.match(path ?? "", /^\.\/[\w-]+\.js$/);
  });

  it("loads a command's dependencies only when it runs: --help imports no TypeScript, gRPC, NATS, csv or zod", () => {
    // NODE_DEBUG=esm logs every module the ESM loader stores ("Storing <url> ... in ModuleLoadMap").
    const result = spawnSync(process.execPath, ["tools/cli/bin/gyre.js", "--help"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      env: { PATH: process.env.PATH, NODE_DEBUG: "esm" },
    });
    assert.equal(result.status, 0, result.stderr);
    const debug = result.stderr;
    const loaded = [...debug.matchAll(/Storing (file:\S+)/g)].map((match) => match[1] ?? "");
    assert.ok(
      loaded.some((url) => url.endsWith("/tools/cli/dist/main.js")),
      debug.slice(0, 2000),
    );
    assert.ok(loaded.some((url) => url.includes("/node_modules/commander/")));
    const heavy = loaded.filter((url) =>
      /\.ts$|\/node_modules\/(@grpc|@nats-io|csv-parse|cli-progress|zod|pg|minio|@opentelemetry)\//.test(url),
    );
    assert.deepEqual(heavy, []);
  });
});
