import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT, spawnService } from "@gyre/service";
import type { LogLine } from "@gyre/testkit";
import type { ProcessOutput } from "./scanner.ts";

/** A service process that is expected to fail: everything it wrote, stdout and stderr, unparsed. */
export interface FailedStart {
  name: string;
  exitCode: number | null;
  /** Whether it was still running at the deadline and had to be killed. */
  killed: boolean;
  stdout: string;
  stderr: string;
}

/** "close" rather than "exit": it comes once the pipes are drained too. */
function closeOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once("close", (code) => resolve(code)));
}

/**
 * Starts a service with a configuration that must stop it (a wrong password, say), and collects its whole output.
 * A process still running after `deadlineMs` (retrying forever) is killed; what it wrote until then is returned.
 */
export async function runFailingService(
  name: string,
  env: NodeJS.ProcessEnv,
  deadlineMs = 60_000,
): Promise<FailedStart> {
  const child = spawnService(name, env);
  const closed = closeOf(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill("SIGKILL");
  }, deadlineMs);
  const exitCode = await closed;
  clearTimeout(timer);
  return { name, exitCode, killed, stdout, stderr };
}

export interface CliRun {
  args: string[];
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the `gyre` CLI with exactly `env` (plus PATH and HOME) and collects what it printed. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<CliRun> {
  const { PATH, HOME } = process.env;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, "tools/cli/bin/gyre.js"), ...args], {
      cwd: REPO_ROOT,
      env: { PATH, HOME, GYRE_ENV_FILE: "off", ...env },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: timeoutMs,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once("close", (exitCode) => resolve({ args, exitCode, stdout, stderr }));
  });
}

/** A process's raw output as the scanner takes it: JSON lines parsed, every other line as text. */
export function outputOf(source: string, ...streams: string[]): ProcessOutput {
  const logs: LogLine[] = [];
  const text: string[] = [];
  for (const line of streams.join("\n").split("\n")) {
    if (line.trim() === "") continue;
    try {
      const parsed = JSON.parse(line) as unknown;
      if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
        logs.push(parsed as LogLine);
        continue;
      }
    } catch {
      // not JSON: kept as text
    }
    text.push(line);
  }
  return { source, logs, text };
}
