import type { ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { type LaunchOptions, spawnService } from "@gyre/service";
import type { Infra } from "./infra.ts";

export type LogLine = Record<string, unknown> & { level?: string; msg?: string; event?: string };

/** A Gyre service running as its own process, with its JSON log lines collected. */
export interface RunningService {
  name: string;
  process: ChildProcess;
  logs: LogLine[];
  /** Lines that were not JSON (a crash's stack trace, say). */
  text: string[];
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** SIGTERM, then wait for the exit; returns the exit code. */
  stop(timeoutMs?: number): Promise<number | null>;
  /** SIGKILL, for crash tests. */
  kill(): Promise<void>;
}

/** The environment that points a service at the test's own namespace and bucket on the real infrastructure. */
export function serviceEnv(infra: Infra, namespace: string, bucket: string): NodeJS.ProcessEnv {
  return {
    GYRE_NAMESPACE: namespace,
    NATS_URL: infra.natsUrl,
    DATABASE_URL: infra.databaseUrl,
    S3_ENDPOINT: infra.s3.endpoint,
    S3_ACCESS_KEY: infra.s3.accessKey,
    S3_SECRET_KEY: infra.s3.secretKey,
    S3_REGION: infra.s3.region,
    S3_BUCKET: bucket,
    OTEL_EXPORTER_OTLP_ENDPOINT: infra.otlpEndpoint,
    METRICS_PORT: "0",
    FEATURE_STORE_GRPC_PORT: "0",
    REGISTRY_GRPC_PORT: "0",
    TRAINER_GRPC_PORT: "0",
    SERVING_GRPC_PORT: "0",
    MONITORING_GRPC_PORT: "0",
    LOG_LEVEL: "debug",
  };
}

/** The variable through which other services find a service's gRPC endpoint, e.g. REGISTRY_GRPC_ADDR. */
export function grpcAddressVariable(service: string): string {
  return `${service.toUpperCase().replaceAll("-", "_")}_GRPC_ADDR`;
}

/**
 * `{ <SERVICE>_GRPC_ADDR: "127.0.0.1:<port>" }` from the service's `grpc.listening` log line, so services started
 * later (on port 0 in tests) can reach it; empty for a service without a gRPC server.
 */
export function grpcAddressEnv(service: RunningService): NodeJS.ProcessEnv {
  const listening = service.logs.find((line) => line.event === "grpc.listening");
  if (listening?.port === undefined) return {};
  return { [grpcAddressVariable(service.name)]: `127.0.0.1:${String(listening.port)}` };
}

/** Starts `services/<name>` and resolves once it logged `service.started`; rejects with its output if it exits first. */
/** How long a service may take to start; generous, because a loaded 2-core CI machine starts seven at once. */
const START_TIMEOUT_MS = Number(process.env.GYRE_TEST_START_TIMEOUT_MS ?? 120_000);

export async function startService(
  name: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = START_TIMEOUT_MS,
  launch: LaunchOptions = {},
): Promise<RunningService> {
  const child = spawnService(name, env, "pipe", launch);
  const logs: LogLine[] = [];
  const text: string[] = [];
  const waiters = new Set<() => void>();
  const onLine = (line: string) => {
    try {
      logs.push(JSON.parse(line) as LogLine);
    } catch {
      text.push(line);
    }
    for (const wake of waiters) wake();
  };
  if (child.stdout) createInterface({ input: child.stdout }).on("line", onLine);
  if (child.stderr) createInterface({ input: child.stderr }).on("line", onLine);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
    for (const wake of waiters) wake();
  });

  const waitForLog = (predicate: (line: LogLine) => boolean, wait = 30_000) =>
    new Promise<LogLine>((resolve, reject) => {
      const check = () => {
        const found = logs.find(predicate);
        if (found) return done(() => resolve(found));
        if (hasExited) return done(() => reject(new Error(`${name} exited; output:\n${output()}`)));
      };
      const timer = setTimeout(
        () => done(() => reject(new Error(`${name}: log line not seen in ${wait} ms; output:\n${output()}`))),
        wait,
      );
      const done = (settle: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        settle();
      };
      waiters.add(check);
      check();
    });
  const output = () => [...text, ...logs.slice(-30).map((line) => JSON.stringify(line))].join("\n");

  const service: RunningService = {
    name,
    process: child,
    logs,
    text,
    waitForLog,
    stop: async (wait = 15_000) => {
      if (hasExited) return exited;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), wait);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    kill: async () => {
      if (hasExited) return;
      child.kill("SIGKILL");
      await exited;
    },
  };
  try {
    await waitForLog((line) => line.event === "service.started", timeoutMs);
  } catch (err) {
    // A service that did not start in time must not outlive the test (its pipes would keep the runner waiting).
    await service.kill();
    throw err;
  }
  return service;
}
