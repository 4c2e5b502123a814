/**
 * `npm run reliability [-- --json]`: the fault test. On a private nats-server (JetStream file storage) and a private
 * PostgreSQL, with S3 and Jaeger from deploy/local, the seven services run in a namespace of their own while a
 * producer streams 20,000 rows; during the stream each of ingestion, validation, feature-store, trainer and registry
 * is SIGKILLed and started again, then nats-server is SIGKILLed and restarted, then PostgreSQL is stopped in
 * immediate mode (a crash: recovery on start) and restarted. Once the stream has drained it checks that every row is
 * in the feature store exactly once, nothing is pending or dead-lettered, no service died by itself, and a model
 * trained after the faults was promoted; then it soaks serving at 80% of its maximum QPS for 60 s with a promotion
 * in the middle. Prints a table (JSON with --json) and exits 1 when a promise did not hold.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import * as grpc from "@grpc/grpc-js";
import { createArtifactStore } from "@gyre/artifacts";
import { type Bus, type Consumer, connectBus, deleteStreams } from "@gyre/bus";
import type { CloudEvent, ModelPromoted, ModelTrained } from "@gyre/contracts";
import { type ChampionChange__Output, loadProto, type ModelInferRequest, type ModelRegistryClient } from "@gyre/grpc";
import { REPO_ROOT, type ServiceName, serviceSchema } from "@gyre/service";
import { parseDatasetSpec, SpecStore } from "@gyre/spec";
import {
  type Infra,
  infraFromEnv,
  type PrivateNats,
  type PrivatePostgres,
  serviceEnv,
  startPrivateNats,
  startPrivatePostgres,
  uniqueId,
} from "@gyre/testkit";
import { infer, inferenceClient } from "../../services/serving/test/harness.ts";
import { localEnv } from "../demo/localEnv.ts";
import { consumerBacklogs, countStoredRows, deadLetters } from "./invariants.ts";
import { produce } from "./producer.ts";
import { type FaultRecord, type ReliabilityReport, reportTable, verdict } from "./report.ts";
import { weatherBatches } from "./rows.ts";
import { soak } from "./soak.ts";
import { ReliabilityStack } from "./stack.ts";

const { values: args } = parseArgs({ options: { json: { type: "boolean", default: false } } });
const number = (name: string, fallback: number) => {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`npm run reliability: ${name} ${JSON.stringify(raw)}: use a positive number`);
    process.exit(78);
  }
  return value;
};

const DATASET = "seattle-weather";
const ROWS = number("RELIABILITY_ROWS", 20_000);
const BATCH_ROWS = number("RELIABILITY_BATCH_ROWS", 200);
const BATCH_INTERVAL_MS = number("RELIABILITY_BATCH_INTERVAL_MS", 900);
const SOAK_SECONDS = number("RELIABILITY_SOAK_SECONDS", 60);
/** How long nats-server and PostgreSQL stay down when they are restarted. */
const OUTAGE_MS = number("RELIABILITY_OUTAGE_MS", 3000);
const DEADLINE_MS = number("RELIABILITY_TIMEOUT_MS", 600_000);
/** Seconds into the stream of the first fault, and between the starts of two faults. */
const FIRST_FAULT_S = 6;
const FAULT_SPACING_S = 11;
/**
 * Log events that show the faults hit work in flight: a redelivered event that its handler found done already
 * (idempotent repeat), a handler run again in place while PostgreSQL or NATS was away, a pull that failed.
 */
const REPEAT_EVENTS = [
  "batch.duplicate",
  "batch.already_validated",
  "features.duplicate",
  "run.already_registered",
  "consumer.transient_retry",
  "consumer.pull_failed",
  "db.pool_error",
  "nats.reconnect",
];
const INPUTS = ["precipitation", "temp_max", "temp_min", "wind", "month", "temp_max_lag1", "precipitation_mean_7"];

const startedAt = performance.now();
const deadline = Date.now() + DEADLINE_MS;
const progress = (line: string) => {
  const elapsed = ((performance.now() - startedAt) / 1000).toFixed(0).padStart(4);
  process.stderr.write(`[${elapsed}s] ${line}\n`);
};
const remaining = () => deadline - Date.now();

Object.assign(process.env, { ...localEnv(), ...process.env });
let nats: PrivateNats | undefined;
let postgres: PrivatePostgres | undefined;
let bus: Bus | undefined;
let specs: SpecStore | undefined;
let observer: Consumer | undefined;
let infra: Infra | undefined;
const stack = new ReliabilityStack();
const namespace = uniqueId("rel");
const bucket = `gyre-${namespace}`;
const trained: CloudEvent<ModelTrained>[] = [];
const promoted: CloudEvent<ModelPromoted>[] = [];
const rejected: CloudEvent<ModelPromoted>[] = [];

let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await stack.stop().catch(() => undefined);
    await observer?.stop().catch(() => undefined);
    if (bus) await deleteStreams(bus).catch(() => undefined);
    await specs?.destroy().catch(() => undefined);
    await bus?.close().catch(() => undefined);
    if (infra)
      await createArtifactStore({ ...infra.s3, bucket })
        .removeBucket(true)
        .catch(() => undefined);
    await nats?.destroy().catch(() => undefined);
    await postgres?.destroy().catch(() => undefined);
  })();
  return cleaning;
}
let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    progress(`${signal}: stopping the services and removing the private servers`);
    void cleanup().finally(() => process.exit(130));
  });
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + Math.max(0, Math.min(timeoutMs, remaining()));
  let lastError = "";
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = `; last error: ${(err as Error).message}`;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${lastError}`);
    await sleep(1000);
  }
}

function registryClient(): ModelRegistryClient {
  const Registry = loadProto("registry/registry.proto").gyre.registry.v1.ModelRegistry;
  return new Registry(`127.0.0.1:${stack.grpcPort("registry")}`, grpc.credentials.createInsecure());
}

function promote(client: ModelRegistryClient, version: number, reason: string): Promise<ChampionChange__Output> {
  return new Promise((resolve, reject) =>
    client.Promote(
      {
        dataset: DATASET,
        version,
        actor: "npm run reliability",
        reason,
        request_id: `${namespace}-promote-${version}`,
      },
      { deadline: Date.now() + 15_000 },
      (err, response) => (err || !response ? reject(err ?? new Error("no response")) : resolve(response)),
    ),
  );
}

/** A real row of the dataset as ModelInfer input (one row, seven features). */
function inferRequest(): ModelInferRequest {
  const row = {
    precipitation: 2.5,
    temp_max: 11.1,
    temp_min: 4.4,
    wind: 3.1,
    month: 3,
    temp_max_lag1: 10.6,
    precipitation_mean_7: 3.2,
  };
  return {
    model_name: DATASET,
    inputs: [
      {
        name: "input",
        datatype: "FP32",
        shape: [1, INPUTS.length],
        contents: { fp32_contents: INPUTS.map((name) => row[name as keyof typeof row]) },
      },
    ],
  };
}

async function main(): Promise<ReliabilityReport> {
  progress(`namespace ${namespace}: starting a private nats-server and PostgreSQL`);
  [nats, postgres] = await Promise.all([startPrivateNats(), startPrivatePostgres()]);
  infra = { ...infraFromEnv(), natsUrl: nats.url, databaseUrl: postgres.url };
  bus = await connectBus({ servers: nats.url, namespace, name: `reliability-${process.pid}` });
  specs = await SpecStore.open(bus.connection, namespace);
  const spec = parseDatasetSpec(readFileSync(join(REPO_ROOT, "examples/seattle-weather.spec.yaml"), "utf8"));
  await specs.apply(
    {
      ...spec,
      name: DATASET,
      // a few trainings over the stream, quick ones, so the loop trains during and after the faults
      training: { ...spec.training, retrainEveryRows: 2000, windowRows: 1500, cooldownSeconds: 0 },
      model: { ...spec.model, epochs: 8 },
    },
    { actor: "npm run reliability" },
  );
  observer = await bus.consume({
    service: "reliability-observer",
    events: ["model.trained", "model.promoted", "model.rejected"],
    handler: (event) => {
      if (event.type === "model.trained") trained.push(event as CloudEvent<ModelTrained>);
      else if (event.type === "model.promoted") promoted.push(event as CloudEvent<ModelPromoted>);
      else rejected.push(event as CloudEvent<ModelPromoted>);
    },
  });

  progress("starting the seven services");
  await stack.start({
    ...serviceEnv(infra, namespace, bucket),
    LOG_LEVEL: "info",
    // a dead trainer's runs are looked for every 10 s instead of 30 s, so the run stays short
    TRAINER_SWEEP_INTERVAL: "10s",
  });
  const setupMs = performance.now() - startedAt;
  progress(`services up in ${(setupMs / 1000).toFixed(1)}s; streaming ${ROWS} rows`);

  const batches = weatherBatches(ROWS, BATCH_ROWS, `${namespace}-`);
  const sentDates = new Set(
    batches.flatMap((batch) =>
      batch.csv
        .split("\n")
        .slice(1)
        .map((line) => line.slice(0, 10)),
    ),
  );
  const streamStarted = performance.now();
  const ackWaiters: (() => void)[] = [];
  const nextAck = () => Promise.race([new Promise<void>((resolve) => ackWaiters.push(resolve)), sleep(20_000)]);
  const producing = produce({
    bus,
    dataset: DATASET,
    batches,
    intervalMs: BATCH_INTERVAL_MS,
    deadline,
    onSent: (_batch, index) => {
      for (const wake of ackWaiters.splice(0)) wake();
      if ((index + 1) % 20 === 0) progress(`${index + 1} of ${batches.length} batches acknowledged`);
    },
  });

  const faults: FaultRecord[] = [];
  const at = () => Math.round((performance.now() - streamStarted) / 1000);
  /** Resolves with a description once the moment comes, or after `timeoutMs` with "no work seen". */
  const moment = async (upstream: ServiceName, event: string, timeoutMs: number, delayMs: number): Promise<string> => {
    const line = await stack.nextLog(upstream, (entry) => entry.event === event, new Date(), timeoutMs);
    if (!line) return `no ${event} from ${upstream} within ${timeoutMs / 1000}s`;
    await sleep(delayMs);
    const what = line.batchId ?? line.runId ?? "";
    return `${delayMs} ms after ${upstream} logged ${event}${what ? ` (${String(what)})` : ""}`;
  };
  const afterNextAck = async (delayMs: number) => {
    await nextAck();
    await sleep(delayMs);
    return `${delayMs} ms after a data.arrived was acknowledged`;
  };
  // Each service dies while it has work: just after the step before it handed some on, so an unacknowledged
  // delivery is lost with the process and JetStream must deliver it again.
  const schedule: { name: string; when: () => Promise<string>; run: () => Promise<{ downMs: number; how: string }> }[] =
    [
      ...(
        [
          ["ingestion", () => afterNextAck(15)],
          ["validation", () => moment("ingestion", "batch.ingested", 20_000, 15)],
          ["feature-store", () => moment("validation", "batch.validated", 20_000, 15)],
          ["trainer", () => moment("trainer", "run.snapshot", 30_000, 300)],
          ["registry", () => moment("trainer", "run.succeeded", 30_000, 5)],
        ] as const
      ).map(([name, when]) => ({
        name,
        when,
        run: async () => ({ ...(await stack.killAndRestart(name)), how: "SIGKILL, started again" }),
      })),
      {
        name: "nats-server",
        when: () => afterNextAck(5),
        run: async () => {
          const began = performance.now();
          await nats?.restart({ signal: "SIGKILL", downMs: OUTAGE_MS });
          return {
            downMs: performance.now() - began,
            how: `SIGKILL, ${OUTAGE_MS / 1000} s down, restarted on its file store`,
          };
        },
      },
      {
        name: "postgresql",
        when: () => moment("validation", "batch.validated", 20_000, 10),
        run: async () => {
          const began = performance.now();
          await postgres?.restart({ mode: "immediate", downMs: OUTAGE_MS });
          return {
            downMs: performance.now() - began,
            how: `pg_ctl stop -m immediate (crash), ${OUTAGE_MS / 1000} s down, restarted`,
          };
        },
      },
    ];
  for (const [index, fault] of schedule.entries()) {
    const due = streamStarted + (FIRST_FAULT_S + index * FAULT_SPACING_S) * 1000;
    if (due > performance.now()) await sleep(due - performance.now());
    const moment = await fault.when();
    const when = at();
    progress(`fault ${index + 1}/${schedule.length}: ${fault.name}, ${moment}`);
    const { downMs, how } = await fault.run();
    faults.push({ fault: fault.name, atSeconds: when, downMs: Math.round(downMs), how: `${how}; killed ${moment}` });
    progress(`  ${fault.name} back after ${(downMs / 1000).toFixed(1)}s`);
  }
  const faultsEnded = new Date();
  const sent = await producing;
  const streamMs = performance.now() - streamStarted;
  progress(`stream done: ${sent.rowsSent} rows in ${sent.batchesSent} batches, ${sent.retries} publish retries`);

  const drainStarted = performance.now();
  const schema = serviceSchema(namespace, "feature-store");
  const table = `offline_${DATASET.replaceAll("-", "_")}`;
  let lastCount = { stored: 0, distinct: 0, duplicates: 0, lost: sent.rowsSent, unexpected: 0 };
  await until("every row in the feature store", 240_000, async () => {
    lastCount = await countStoredRows(infra?.databaseUrl ?? "", schema, table, sentDates);
    return lastCount.distinct >= sentDates.size && lastCount.lost === 0 ? true : undefined;
  }).catch((err: Error) => progress(err.message));
  progress(`feature store: ${lastCount.stored} rows, ${lastCount.distinct} distinct dates`);

  const postFault = () => trained.filter((event) => new Date(event.time) > faultsEnded);
  const ofPostFaultRuns = (decisions: CloudEvent<ModelPromoted>[]) => {
    const runs = new Set(postFault().map((event) => event.data.runId));
    return decisions.filter((event) => runs.has(event.data.runId));
  };
  const promotedAfter = () => ofPostFaultRuns(promoted);
  // settled: a post-fault model was promoted, or the registry decided on every model trained after the faults
  await until("a model trained after the faults, and the registry's decision on it", 180_000, async () => {
    if (promotedAfter().length > 0) return true;
    const decided = ofPostFaultRuns([...promoted, ...rejected]).length;
    return postFault().length > 0 && decided >= postFault().length ? true : undefined;
  }).catch((err: Error) => progress(`${err.message} (${postFault().length} trained after the faults)`));

  const registry = registryClient();
  try {
    let promotedBy: "policy" | "operator" | null = promotedAfter().length > 0 ? "policy" : null;
    const rejectedAfter = ofPostFaultRuns(rejected);
    if (promotedBy === null && rejectedAfter.length > 0) {
      // The policy may rightly keep the champion (the rows repeat the same four years, so the champion has seen
      // these days before): promote the latest post-fault model by hand, as an operator would, so the promotion path
      // is still exercised end to end (registry → model.promoted → serving loads it).
      const latest = rejectedAfter.at(-1) as CloudEvent<ModelPromoted>;
      progress(
        `the policy kept the champion over ${rejectedAfter.length} post-fault models (${latest.data.reason}); promoting v${latest.data.version} by hand`,
      );
      await promote(registry, latest.data.version, "reliability: post-fault model promoted by hand").catch(
        (err: Error) => progress(`promoting v${latest.data.version} failed: ${err.message}`),
      );
      await until("the hand promotion's model.promoted", 30_000, async () =>
        promotedAfter().length > 0 ? true : undefined,
      ).catch((err: Error) => progress(err.message));
      if (promotedAfter().length > 0) promotedBy = "operator";
    }

    // every decision the registry makes must reach serving: the latest champion answers ModelInfer
    const champion = async () => {
      const latest = promoted.at(-1);
      return latest ? String(latest.data.version) : undefined;
    };
    const serving = inferenceClient(`127.0.0.1:${stack.grpcPort("serving")}`);
    let servedVersion: string | null = null;
    try {
      servedVersion = await until("serving to answer with the champion", 60_000, async () => {
        const want = await champion();
        const response = await infer(serving, inferRequest(), { deadline: Date.now() + 5000 });
        return want !== undefined && response.model_version === want ? want : undefined;
      }).catch((err: Error) => {
        progress(err.message);
        return null;
      });
    } finally {
      serving.close();
    }

    const backlogs = await until("every consumer to have nothing pending", 120_000, async () => {
      const all = await consumerBacklogs(bus as Bus);
      return all.every((c) => c.pending === 0 && c.ackPending === 0) ? all : undefined;
    }).catch(async (err: Error) => {
      progress(err.message);
      return consumerBacklogs(bus as Bus);
    });
    const letters = await deadLetters(bus as Bus);
    const drainMs = performance.now() - drainStarted;

    // taken before the soak, whose own promotion is not the loop's
    const loop: ReliabilityReport["loop"] = {
      trainedAfterFaults: postFault().length,
      promotedAfterFaults: promotedAfter().length,
      promotedBy,
      rejectedAfterFaults: ofPostFaultRuns(rejected).map((event) => `v${event.data.version}: ${event.data.reason}`),
      servedVersion,
      champion: promoted.at(-1) ? String(promoted.at(-1)?.data.version) : null,
    };
    progress("serving soak");
    const soakStarted = performance.now();
    const promotionsBeforeSoak = promoted.length;
    const soakFigures = await soak({
      address: `127.0.0.1:${stack.grpcPort("serving")}`,
      servingPid: () => stack.pid("serving"),
      metricsPort: stack.metricsPort("serving"),
      request: inferRequest(),
      seconds: SOAK_SECONDS,
      warmupSeconds: 30,
      share: 0.8,
      maxQpsSeconds: 5,
      onProgress: progress,
      promote: async () => {
        const current = promoted.at(-1)?.data.version;
        const versions = [...new Set([...promoted, ...rejected].map((event) => event.data.version))];
        const other = versions.filter((version) => version !== current).sort((a, b) => b - a)[0];
        if (other === undefined) throw new Error("no model version besides the champion to promote during the soak");
        const change = await promote(registry, other, "reliability soak: champion change under load");
        progress(`promoted v${change.version} (was v${change.previous_version}) under load`);
        return { from: String(change.previous_version), to: String(change.version) };
      },
    }).catch((err: Error) => {
      progress(`soak failed: ${err.message}`);
      return null;
    });
    const soakMs = performance.now() - soakStarted;
    // the loop may promote a model that finished training during the soak: then serving must end on that one
    const soakPromotions = promoted.slice(promotionsBeforeSoak).map((event) => String(event.data.version));
    const lastServed = soakFigures?.servedVersions.at(-1)?.version;
    const promotionServed =
      soakFigures?.promotion?.servedAfterMs != null
        ? lastServed === soakPromotions.at(-1)
        : soakPromotions.length > 1 && lastServed === soakPromotions.at(-1);

    const body: Omit<ReliabilityReport, "problems"> = {
      faultsInjected: faults.length,
      faults,
      rowsSent: sent.rowsSent,
      rowsStored: lastCount.stored,
      duplicates: lastCount.duplicates,
      lost: lastCount.lost,
      unexpectedRows: lastCount.unexpected,
      dlqCount: letters.length,
      dlq: letters.map(({ service, kind, reason }) => ({ service, kind, reason })),
      failedRequests: soakFigures?.failed ?? 0,
      crashes: stack.crashes.length,
      crashed: stack.crashes.map(({ output: _output, ...crash }) => crash),
      pendingMessages: backlogs.reduce((sum, c) => sum + c.pending + c.ackPending, 0),
      consumers: backlogs,
      producer: { batches: sent.batchesSent, retries: sent.retries, duplicateAcks: sent.duplicateAcks },
      loop,
      repeats: stack.countEvents(REPEAT_EVENTS),
      soak: soakFigures && {
        maxQps: soakFigures.maxQps,
        targetQps: soakFigures.targetQps,
        seconds: soakFigures.seconds,
        requests: soakFigures.requests,
        failed: soakFigures.failed,
        p99Ms: soakFigures.p99Ms,
        rssStartMb: soakFigures.rssStartMb,
        rssEndMb: soakFigures.rssEndMb,
        rssGrowth: soakFigures.rssGrowth,
        rssSeriesMb: soakFigures.rssSeries,
        memory: soakFigures.memory,
        promotionServed,
        servedVersions: soakFigures.servedVersions,
        promotion: soakFigures.promotion
          ? `v${soakFigures.promotion.fromVersion} → v${soakFigures.promotion.toVersion} at ${soakFigures.promotion.atSeconds}s, ` +
            `served ${soakFigures.promotion.servedAfterMs === null ? "never" : `after ${soakFigures.promotion.servedAfterMs} ms`}`
          : null,
      },
      durationsMs: {
        setup: Math.round(setupMs),
        stream: Math.round(streamMs),
        drain: Math.round(drainMs),
        soak: Math.round(soakMs),
        total: Math.round(performance.now() - startedAt),
      },
    };
    const problems = verdict(body);
    for (const crash of stack.crashes) progress(`crash of ${crash.service}:\n${crash.output.join("\n")}`);
    return { ...body, problems };
  } finally {
    registry.close();
  }
}

let code = 1;
try {
  const report = await main();
  code = report.problems.length === 0 ? 0 : 1;
  process.stdout.write(
    args.json ? `${JSON.stringify(report)}\n` : `\nReliability — namespace ${namespace}\n${reportTable(report)}\n`,
  );
} catch (err) {
  progress(`FAILED: ${(err as Error).stack ?? err}`);
  for (const crash of stack.crashes) progress(`crash of ${crash.service}:\n${crash.output.join("\n")}`);
  code = 1;
}
progress("cleaning up");
await cleanup();
process.exit(code);
