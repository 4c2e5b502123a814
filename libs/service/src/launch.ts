import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The repository root, from this file's place in libs/service/src. */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** The seven services, in loop order. */
export const SERVICES = [
  "ingestion",
  "validation",
  "feature-store",
  "trainer",
  "registry",
  "serving",
  "monitoring",
] as const;
export type ServiceName = (typeof SERVICES)[number];

/**
 * How a service process is started: tsx for TypeScript, and telemetry registered with `--import` before the service
 * imports anything it instruments (OpenTelemetry has to patch pg, grpc-js and http first).
 */
export function serviceCommand(service: string): { command: string; args: string[] } {
  return {
    command: process.execPath,
    args: ["--import", "tsx", "--import", "@gyre/telemetry/register", `services/${service}/src/main.ts`],
  };
}

/** Spawns a service as its own process with the given environment (added to this process's). */
export function spawnService(
  service: string,
  env: NodeJS.ProcessEnv,
  stdio: "inherit" | "pipe" = "pipe",
): ChildProcess {
  const { command, args } = serviceCommand(service);
  return spawn(command, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, OTEL_SERVICE_NAME: `gyre-${service}`, ...env },
    stdio: ["ignore", stdio, stdio],
  });
}
