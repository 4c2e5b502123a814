import { type ChildProcess, execFile, spawn } from "node:child_process";
import type { ArtifactStore } from "@gyre/artifacts";
import type { Bus } from "@gyre/bus";
import { type ModelTrained, newEvent } from "@gyre/contracts";
import { REPO_ROOT } from "@gyre/service";
import { freePort } from "@gyre/testkit";

export interface GyreResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const BIN = "tools/cli/bin/gyre.js";

/** Runs `node tools/cli/bin/gyre.js ...args` from the repository root with exactly this environment (plus PATH). */
export function gyre(env: NodeJS.ProcessEnv, ...args: string[]): Promise<GyreResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: REPO_ROOT, env: { PATH: process.env.PATH, ...env }, timeout: 90_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** `gyre ... --json`, parsed; fails with the CLI's stderr when it did not exit 0. */
export async function gyreJson<T>(env: NodeJS.ProcessEnv, ...args: string[]): Promise<T> {
  const result = await gyre(env, ...args, "--json");
  if (result.code !== 0) throw new Error(`gyre ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** `gyre ...` as a long-running child (for `up`), with its output collected. */
export function spawnGyre(env: NodeJS.ProcessEnv, ...args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
  });
  return { child, output: () => text };
}

/** Resolves once `find` is true of the text, or rejects with the text after the time. */
export async function waitForText(
  read: () => string,
  find: (text: string) => boolean,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!find(read())) {
    if (Date.now() > deadline) throw new Error(`not seen in ${timeoutMs} ms; output:\n${read()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A local port nothing listens on (bound, then released). */
export const closedPort = freePort;

/**
 * Plays the trainer: puts model files (any bytes: the registry checks they exist) under models/<dataset>/<runId> and
 * publishes model.trained, as the trainer will.
 */
export async function publishTrainedRun(
  bus: Bus,
  store: ArtifactStore,
  run: Pick<ModelTrained, "runId" | "dataset" | "metrics" | "championMetrics" | "championVersion" | "specRevision">,
): Promise<void> {
  const artifactKey = `models/${run.dataset}/${run.runId}`;
  await store.put(`${artifactKey}/model.json`, JSON.stringify({ modelTopology: {}, weightsManifest: [] }));
  await store.put(`${artifactKey}/metadata.json`, JSON.stringify({ artifactKey }));
  const hex = (n: number) => n.toString(16).padStart(64, "0");
  const trained: ModelTrained = {
    ...run,
    artifactKey,
    snapshot: {
      id: `snap-${run.runId}`,
      batches: [1, 2].map((n) => ({ batchId: `${run.runId}-batch-${n}`, sha256: hex(n) })),
    },
    backend: "cpu",
    codeVersion: "cli-test",
    trigger: { reason: "features", eventIds: [`features-${run.runId}`] },
  };
  await bus.publish(newEvent("model.trained", "cli-test", trained, { id: `trained-${run.runId}` }), run.dataset);
}
