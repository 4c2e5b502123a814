/**
 * `npm start`: the infrastructure is up (deploy/local/up.sh ran first); this starts every Gyre service that exists
 * as its own process with prefixed logs, waits until each is healthy, prints where to look, and stays up until
 * Ctrl-C. `npm start -- --exit` stops the services and exits 0 after the summary (CI uses it).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT, SERVICES } from "@gyre/service";
import { type RunningService, startService } from "@gyre/testkit";

const { values } = parseArgs({ options: { exit: { type: "boolean", default: false } } });

/** Reads `export NAME=value` lines written by deploy/local/up.sh; variables already set win. */
function localEnv(): NodeJS.ProcessEnv {
  const file = join(REPO_ROOT, "deploy/local/.run/env");
  if (!existsSync(file)) return {};
  const env: NodeJS.ProcessEnv = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const match = /^export ([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match?.[1] && match[2] !== undefined && process.env[match[1]] === undefined) env[match[1]] = match[2];
  }
  return env;
}

const env: NodeJS.ProcessEnv = { ...localEnv(), LOG_LEVEL: process.env.LOG_LEVEL ?? "info" };
const present = SERVICES.filter((name) => existsSync(join(REPO_ROOT, "services", name, "src/main.ts")));
const running: RunningService[] = [];

function prefixLogs(service: RunningService): void {
  const width = Math.max(...SERVICES.map((name) => name.length));
  const print = (line: Buffer) => {
    for (const text of line.toString("utf8").split("\n")) {
      if (text) process.stdout.write(`${service.name.padEnd(width)} | ${text}\n`);
    }
  };
  service.process.stdout?.on("data", print);
  service.process.stderr?.on("data", print);
}

async function stopAll(): Promise<void> {
  await Promise.all(running.map((service) => service.stop()));
}

console.log(`Starting ${present.length} of ${SERVICES.length} services: ${present.join(", ") || "(none yet)"}`);
try {
  for (const name of present) {
    const service = await startService(name, { ...env, METRICS_PORT: "0" });
    prefixLogs(service);
    running.push(service);
  }
} catch (err) {
  console.error(`A service failed to start: ${(err as Error).message}`);
  await stopAll();
  process.exit(1);
}

const rows = running.map((service) => {
  const ops = service.logs.find((line) => line.event === "service.ops_listening");
  return {
    service: service.name,
    pid: service.process.pid,
    metrics: ops ? `http://127.0.0.1:${ops.port}/metrics` : "",
  };
});
console.log("\nGyre is up.");
if (rows.length > 0) console.table(rows);
console.log(
  `Infrastructure: NATS ${env.NATS_URL ?? process.env.NATS_URL}, S3 ${env.S3_ENDPOINT ?? process.env.S3_ENDPOINT}`,
);
console.log(`Traces: ${env.JAEGER_QUERY_URL ?? process.env.JAEGER_QUERY_URL ?? "http://127.0.0.1:16686"}/api/services`);

if (values.exit) {
  await stopAll();
  console.log("Stopped (--exit).");
  process.exit(0);
}
console.log("Press Ctrl-C to stop.");
const shutdown = async () => {
  console.log("\nStopping services...");
  await stopAll();
  process.exit(0);
};
process.once("SIGINT", () => void shutdown());
process.once("SIGTERM", () => void shutdown());
