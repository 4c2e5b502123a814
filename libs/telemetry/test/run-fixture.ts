import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const fixturePath = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

/** `--import @gyre/telemetry/register`, resolved from the repository root as a service's command line is. */
export const REGISTER = "@gyre/telemetry/register";
/** A preload that records spans in memory and prints them as JSON when the script ends. */
export const PRELOAD_IN_MEMORY = fixturePath("preload-in-memory.ts");

export interface FixtureRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a fixture script the way a service runs: tsx, then a telemetry preload, then the script.
 * Asynchronous, so an OTLP receiver in the test process can answer the child's export requests.
 */
export function runWithPreload(preload: string, script: string, env: Record<string, string>): Promise<FixtureRun> {
  const child = spawn(process.execPath, ["--import", "tsx", "--import", preload, fixturePath(script)], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    timeout: 30_000,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (status) => resolve({ status, stdout, stderr }));
  });
}
