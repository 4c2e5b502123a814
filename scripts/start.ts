/**
 * `npm start`: the infrastructure is up (deploy/local/up.sh ran first). Starts the seven services on their default
 * ports in a namespace of the demo's own (or GYRE_NAMESPACE), with their logs in deploy/local/.run/logs, runs the
 * demo stream (scripts/demo.ts) with a live view of the loop, prints a summary and where to look next, and stays up
 * until Ctrl-C. `npm start -- --exit` (CI) stops after the summary: exit 0 when the loop promoted a model and a
 * drift-triggered retrain, 1 otherwise (naming what was missing); it also deletes the demo namespace.
 */
import { randomBytes } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { type Bus, connectBus } from "@gyre/bus";
import { buildBundle, loadConsoleConfig, type RunningConsole, startConsole } from "@gyre/console";
import { SERVICES } from "@gyre/service";
import { SpecStore } from "@gyre/spec";
import { infraFromEnv } from "@gyre/testkit";
import { deleteNamespace } from "./demo/cleanup.ts";
import { label } from "./demo/eventLines.ts";
import { createLiveView } from "./demo/liveView.ts";
import { chooseNamespace, localEnv, RUN_DIR } from "./demo/localEnv.ts";
import { LoopObserver } from "./demo/loopObserver.ts";
import { LoopRecord } from "./demo/loopRecord.ts";
import { DEFAULT_PORTS, grpcEnv, takenPorts } from "./demo/ports.ts";
import { Stack } from "./demo/stack.ts";
import { duration, summaryRows, table } from "./demo/summary.ts";
import { whereToLook } from "./demo/whereToLook.ts";
import { DATASET, DRIFTING_CITY, runDemo } from "./demo.ts";

const { values: args } = parseArgs({ options: { exit: { type: "boolean", default: false } } });
const startedAt = Date.now();
const shown = (path: string) => relative(process.cwd(), path) || ".";

function fail(message: string, code = 1): never {
  console.error(`npm start: ${message}`);
  process.exit(code);
}

function wholeNumber(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) fail(`${name} ${JSON.stringify(raw)}: use a whole number of ms`, 78);
  return value;
}

const delayMs = wholeNumber("DEMO_BATCH_DELAY_MS", 150);
const timeoutMs = wholeNumber("DEMO_TIMEOUT_MS", 600_000);
const keep = process.env.GYRE_DEMO_KEEP === "1";
const fileEnv = localEnv();
const env = { ...process.env, ...fileEnv };
let infra: ReturnType<typeof infraFromEnv>;
try {
  infra = infraFromEnv(env);
} catch (err) {
  fail((err as Error).message);
}
const { namespace, bucket, ownNamespace, ownBucket } = chooseNamespace(env);

const taken = await takenPorts(SERVICES);
if (taken.length > 0) {
  fail(
    `port${taken.length > 1 ? "s" : ""} ${taken.join(", ")} already in use. Gyre's services listen on fixed ports, ` +
      "so the `gyre` CLI finds them: another Gyre stack (`npm start`, `npx gyre up`) is probably running; stop it " +
      `(Ctrl-C in its terminal), or see what holds the port with \`ss -ltnp 'sport = :${taken[0]?.split(" ")[0]}'\`.`,
  );
}

const logDir = join(RUN_DIR, "logs");
console.log(
  `Gyre demo: namespace ${namespace}${ownNamespace ? " (fresh; GYRE_NAMESPACE picks another)" : ""}, bucket ${bucket}`,
);
console.log(`Starting ${SERVICES.length} services; their logs go to ${shown(logDir)}/<service>.log`);
const controller = new AbortController();
const view = createLiveView();
const stack = new Stack(logDir, (service, code) => {
  const message = `${service} exited (code ${code}); see ${shown(join(logDir, `${service}.log`))}`;
  view.line(`${label("FAILED")}${message}`);
  controller.abort(new Error(message));
});
let bus: Bus | undefined;
let specs: SpecStore | undefined;
let observer: LoopObserver | undefined;
let consoleServer: RunningConsole | undefined;

/** Stops the view, the observer and the services; with --exit deletes the demo namespace; then exits. */
async function shutdown(code: number): Promise<never> {
  view.stop();
  console.log("\nStopping the services (each drains its work first)...");
  await observer?.stop().catch(() => undefined);
  await consoleServer?.close().catch(() => undefined);
  await stack.stop();
  if (args.exit && ownNamespace && !keep) {
    bus ??= await connectBus({ servers: infra.natsUrl, namespace, name: `gyre-demo-${process.pid}` });
    specs ??= await SpecStore.open(bus.connection, namespace);
    const failures = await deleteNamespace({ bus, specs, infra, bucket: ownBucket ? bucket : null });
    console.log(
      failures.length
        ? `Namespace ${namespace} partly deleted: ${failures.join("; ")}`
        : `Deleted namespace ${namespace}: streams, spec store, schemas${ownBucket ? `, bucket ${bucket}` : ""} (GYRE_DEMO_KEEP=1 keeps them)`,
    );
  }
  await bus?.close().catch(() => undefined);
  process.exit(code);
}

/**
 * The operator console (tools/console) over the demo's namespace, its page built first. Without GYRE_OPERATOR_TOKEN
 * (or _FILE) the demo makes a token and keeps it in deploy/local/.run/operator-token (mode 600), so promote and roll
 * back work in the page. A console that cannot start (port taken) is reported; the demo goes on without it.
 */
async function startDemoConsole(): Promise<RunningConsole | undefined> {
  const tokenFile = join(RUN_DIR, "operator-token");
  const consoleEnv: Record<string, string | undefined> = {
    ...env,
    GYRE_NAMESPACE: namespace,
    ...grpcEnv(SERVICES),
    LOG_LEVEL: "warn",
  };
  if (!consoleEnv.GYRE_OPERATOR_TOKEN && !consoleEnv.GYRE_OPERATOR_TOKEN_FILE) {
    if (!existsSync(tokenFile)) writeFileSync(tokenFile, `${randomBytes(24).toString("base64url")}\n`, { mode: 0o600 });
    consoleEnv.GYRE_OPERATOR_TOKEN_FILE = tokenFile;
  }
  try {
    await buildBundle();
    const running = await startConsole(loadConsoleConfig(consoleEnv));
    console.log(
      `Console: ${running.url}  (operator token: ${consoleEnv.GYRE_OPERATOR_TOKEN ? "GYRE_OPERATOR_TOKEN" : shown(String(consoleEnv.GYRE_OPERATOR_TOKEN_FILE))})`,
    );
    return running;
  } catch (err) {
    console.log(`Console did not start: ${(err as Error).message}`);
    return undefined;
  }
}

/** Ctrl-C: while starting, stop what started; during the demo, stop it (the main flow shuts down); once up, shut down. */
let phase: "starting" | "demo" | "summary" | "up" = "starting";
let interrupted = false;
const onSignal = () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  controller.abort(new Error("interrupted"));
  if (phase === "starting") void stack.stop();
  if (phase === "up") void shutdown(0);
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);

try {
  await stack.start(SERVICES, {
    ...fileEnv,
    GYRE_NAMESPACE: namespace,
    S3_BUCKET: bucket,
    LOG_LEVEL: process.env.LOG_LEVEL || "info",
    ...grpcEnv(SERVICES),
  });
} catch (err) {
  fail(`a service did not start: ${(err as Error).message}\nLogs: ${shown(logDir)}`);
}
if (interrupted) await shutdown(130);
console.log(
  table(
    SERVICES.map((name) => {
      const { metrics, grpc } = DEFAULT_PORTS[name];
      const pid = stack.services.find((service) => service.name === name)?.process.pid;
      return [name, `pid ${pid}  ${grpc ? `gRPC :${grpc.port}  ` : ""}metrics http://127.0.0.1:${metrics}/metrics`];
    }),
  ),
);

consoleServer = await startDemoConsole();

bus = await connectBus({ servers: infra.natsUrl, namespace, name: `gyre-demo-${process.pid}` });
specs = await SpecStore.open(bus.connection, namespace);
const record = new LoopRecord();
observer = new LoopObserver(record, view);
await observer.start(bus, DATASET, new Date(startedAt));

console.log("");
view.line(`Streaming weather.csv into the loop (DEMO_BATCH_DELAY_MS=${delayMs}, DEMO_TIMEOUT_MS=${timeoutMs})`);
phase = "demo";
const demoDeadline = Date.now() + timeoutMs;
let demoError: Error | undefined;
try {
  await runDemo({
    bus,
    specs,
    record,
    observer,
    view,
    keyPrefix: `${namespace}-${startedAt.toString(36)}-`,
    delayMs,
    deadline: demoDeadline,
    signal: controller.signal,
  });
} catch (err) {
  demoError = err as Error;
}
phase = "summary";
view.stop();
if (interrupted) await shutdown(130);

const missing = [...(demoError ? [demoError.message] : []), ...record.missing()];
console.log(`\nSummary — namespace ${namespace}, ${duration(Date.now() - startedAt)} since start`);
console.log(table(summaryRows(record, { drifting: DRIFTING_CITY, planned: observer.planned })));

console.log("\nWhere to look next");
console.log(
  table(
    await whereToLook({
      record,
      namespace,
      jaegerUrl: infra.jaegerQueryUrl,
      since: startedAt,
      driftReportFile: join(RUN_DIR, "drift-report.html"),
      logDir,
      stackStops: args.exit,
    }),
  ),
);

const elapsed = Date.now() - startedAt;
const why = demoError
  ? ""
  : Date.now() >= demoDeadline
    ? ` (DEMO_TIMEOUT_MS ${timeoutMs})`
    : "; the loop had nothing left in flight";
console.log(
  missing.length === 0
    ? "\nOK: the loop promoted a first model and a retrain that drift started."
    : `\nNOT DONE after ${duration(elapsed)}${why}: ${missing.join("; ")}`,
);
if (args.exit || interrupted) await shutdown(interrupted ? 130 : missing.length === 0 ? 0 : 1);
phase = "up";
console.log(`\nGyre is up in namespace ${namespace}; press Ctrl-C to stop the services.`);
