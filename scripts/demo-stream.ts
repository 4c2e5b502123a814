/**
 * The demo stream alone, against a Gyre stack that is already running (the `demo` service of docker-compose.yml):
 * connects to NATS as the `gyre` operator account (NATS_* variables, as every service), applies the demo's spec,
 * streams weather.csv with the same live view as `npm start`, prints the summary and exits 0 when the loop promoted
 * a first model and a drift-triggered retrain, 1 otherwise. `npm start` runs the same stream with its own services.
 */
import { connectBus } from "@gyre/bus";
import { integer, loadConfigOrExit, namespaceEnv, natsEnv } from "@gyre/config";
import { natsConnectOptions } from "@gyre/service";
import { SpecStore } from "@gyre/spec";
import { z } from "zod";
import { createLiveView } from "./demo/liveView.ts";
import { LoopObserver } from "./demo/loopObserver.ts";
import { LoopRecord } from "./demo/loopRecord.ts";
import { summaryRows, table } from "./demo/summary.ts";
import { DATASET, DRIFTING_CITY, runDemo } from "./demo.ts";

const config = loadConfigOrExit(
  z.object({
    ...natsEnv,
    ...namespaceEnv,
    DEMO_BATCH_DELAY_MS: integer({ min: 0 }).default(150),
    DEMO_TIMEOUT_MS: integer({ min: 1 }).default(600_000),
  }),
);
const namespace = config.GYRE_NAMESPACE;
const startedAt = Date.now();
const bus = await connectBus({
  servers: config.NATS_URL.split(",").map((server) => server.trim()),
  namespace,
  name: `gyre-demo-${process.pid}`,
  waitOnFirstConnect: true,
  ...natsConnectOptions(config, namespace, "gyre"),
});
const specs = await SpecStore.open(bus.connection, namespace);
const controller = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => controller.abort(new Error(`stopped by ${signal}`)));
}
const view = createLiveView();
const record = new LoopRecord();
const observer = new LoopObserver(record, view);
await observer.start(bus, DATASET, new Date(startedAt));
view.line(`Streaming weather.csv into namespace ${namespace} (DEMO_BATCH_DELAY_MS=${config.DEMO_BATCH_DELAY_MS})`);
let demoError: Error | undefined;
try {
  await runDemo({
    bus,
    specs,
    record,
    observer,
    view,
    keyPrefix: `${namespace}-${startedAt.toString(36)}-`,
    delayMs: config.DEMO_BATCH_DELAY_MS,
    deadline: startedAt + config.DEMO_TIMEOUT_MS,
    signal: controller.signal,
  });
} catch (err) {
  demoError = err as Error;
}
view.stop();
await observer.stop().catch(() => undefined);
const missing = [...(demoError ? [demoError.message] : []), ...record.missing()];
console.log(`\nSummary — namespace ${namespace}`);
console.log(table(summaryRows(record, { drifting: DRIFTING_CITY, planned: observer.planned })));
console.log(
  missing.length === 0
    ? "\nOK: the loop promoted a first model and a retrain that drift started."
    : `\nNOT DONE: ${missing.join("; ")}`,
);
await bus.close().catch(() => undefined);
process.exit(missing.length === 0 ? 0 : 1);
