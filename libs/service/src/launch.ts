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

/** How to run a service: its TypeScript through tsx (development), or its build (scripts/build.ts; the image). */
export interface LaunchOptions {
  compiled?: boolean;
}

/**
 * How a service process is started: tsx for TypeScript, and telemetry registered with `--import` before the service
 * imports anything it instruments (OpenTelemetry has to patch pg, grpc-js and http first). Compiled, the same from
 * services/<name>/dist, where the build put main.js and the telemetry register that shares its telemetry module.
 */
export function serviceCommand(service: string, options: LaunchOptions = {}): { command: string; args: string[] } {
  const entry = options.compiled
    ? ["--import", `./services/${service}/dist/telemetry-register.js`, `services/${service}/dist/main.js`]
    : ["--import", "tsx", "--import", "@gyre/telemetry/register", `services/${service}/src/main.ts`];
  return { command: process.execPath, args: [...(V8_FLAGS[service] ?? []), ...entry] };
}

/**
 * V8 flags per service (the Dockerfile's gyre-service sets the same). Serving's live heap is about 100 MiB; under a
 * steady request load V8 otherwise lets garbage grow the old generation (and RSS) by hundreds of MiB before a major
 * collection, so its old generation is capped where collection starts early and RSS stays flat.
 */
export const V8_FLAGS: Readonly<Record<string, readonly string[]>> = {
  serving: ["--max-old-space-size=256"],
};

/** Spawns a service as its own process with the given environment (added to this process's). */
export function spawnService(
  service: string,
  env: NodeJS.ProcessEnv,
  stdio: "inherit" | "pipe" = "pipe",
  options: LaunchOptions = {},
): ChildProcess {
  const { command, args } = serviceCommand(service, options);
  return spawn(command, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, OTEL_SERVICE_NAME: `gyre-${service}`, ...env },
    stdio: ["ignore", stdio, stdio],
  });
}
