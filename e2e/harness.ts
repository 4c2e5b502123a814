import { readFileSync } from "node:fs";
import { join } from "node:path";
import type * as grpc from "@grpc/grpc-js";
import { createArtifactStore } from "@gyre/artifacts";
import { type Bus, connectBus, deleteStreams } from "@gyre/bus";
import { type CloudEvent, type EventType, newEvent } from "@gyre/contracts";
import { dropSchema } from "@gyre/db";
import { REPO_ROOT, serviceSchema } from "@gyre/service";
import { parseDatasetSpec, SpecStore } from "@gyre/spec";
import {
  grpcAddressEnv,
  type Infra,
  infraFromEnv,
  type RunningService,
  serviceEnv,
  startService,
  uniqueId,
} from "@gyre/testkit";
import { parse } from "csv-parse/sync";

/** One isolated installation of Gyre on the real infrastructure: own namespace, bucket, schemas and processes. */
export interface Loop {
  infra: Infra;
  namespace: string;
  bucket: string;
  bus: Bus;
  specs: SpecStore;
  services: Map<string, RunningService>;
  env: NodeJS.ProcessEnv;
  /** Every event of the given (watched) types seen on the bus since the loop started, by type. */
  seen(type: EventType): CloudEvent[];
  waitFor(type: EventType, count: number, timeoutMs?: number): Promise<CloudEvent[]>;
  applySpec(file: string, dataset: string): Promise<number>;
  publishArrived(dataset: string, batchKey: string, csv: string): Promise<void>;
  close(): Promise<void>;
}

const WATCHED: EventType[] = [
  "data.ingested",
  "data.validated",
  "data.rejected",
  "features.updated",
  "model.trained",
  "model.promoted",
  "model.rejected",
  "drift.detected",
  "performance.measured",
];

/** Services that call another service's gRPC API at start, and so start after it. */
const GRPC_NEEDS: Record<string, string[]> = {
  trainer: ["feature-store", "registry"],
  serving: ["registry", "feature-store"],
  monitoring: ["registry"],
};

/**
 * Starts the services on a fresh namespace. `watch` is what `seen` and `waitFor` can report; a benchmark watches
 * only what it waits for, so the observer's work stays small beside the loop it measures.
 */
export async function startLoop(
  serviceNames: readonly string[],
  extraEnv: NodeJS.ProcessEnv = {},
  watch: readonly EventType[] = WATCHED,
): Promise<Loop> {
  const infra = infraFromEnv();
  const namespace = uniqueId("e");
  const bucket = `gyre-${namespace}`;
  const env = { ...serviceEnv(infra, namespace, bucket), LOG_LEVEL: "info", ...extraEnv };
  const bus = await connectBus({ servers: infra.natsUrl, namespace, name: `e2e-${namespace}` });
  const specs = await SpecStore.open(bus.connection, namespace);
  const events = new Map<EventType, CloudEvent[]>(watch.map((type) => [type, []]));
  const wakers = new Set<() => void>();
  const observer = await bus.consume({
    service: "e2e-observer",
    events: watch,
    concurrency: 8,
    handler: (event) => {
      events.get(event.type)?.push(event);
      for (const wake of wakers) wake();
    },
  });
  const services = new Map<string, RunningService>();
  // Services listen on port 0. Those that call another's gRPC start once it is up and its address is known; the rest
  // start together.
  const waves = [
    serviceNames.filter((name) => !(name in GRPC_NEEDS)),
    serviceNames.filter((name) => name in GRPC_NEEDS),
  ];
  for (const wave of waves) {
    const results = await Promise.allSettled(wave.map((name) => startService(name, { ...env })));
    for (const result of results) {
      if (result.status === "fulfilled") services.set(result.value.name, result.value);
    }
    const failed = results.find((result) => result.status === "rejected");
    if (failed) {
      // A service that did not start must not leave the others running (they would keep the test process alive).
      await Promise.all([...services.values()].map((service) => service.stop()));
      await observer.stop();
      await bus.close();
      throw failed.reason;
    }
    for (const service of services.values()) Object.assign(env, grpcAddressEnv(service));
  }

  const seen = (type: EventType) => events.get(type) ?? [];
  return {
    infra,
    namespace,
    bucket,
    bus,
    specs,
    services,
    env,
    seen,
    waitFor: (type, count, timeoutMs = 120_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (seen(type).length < count) return;
          clearTimeout(timer);
          wakers.delete(check);
          resolve(seen(type));
        };
        const timer = setTimeout(() => {
          wakers.delete(check);
          reject(new Error(`waited ${timeoutMs} ms for ${count} ${type} events, saw ${seen(type).length}`));
        }, timeoutMs);
        wakers.add(check);
        check();
      }),
    applySpec: async (file, dataset) => {
      const spec = parseDatasetSpec(readFileSync(join(REPO_ROOT, file), "utf8"));
      const applied = await specs.apply({ ...spec, name: dataset });
      return applied.revision;
    },
    publishArrived: async (dataset, batchKey, csv) => {
      await bus.publish(newEvent("data.arrived", "e2e", { dataset, batchKey, format: "csv", rows: csv }), dataset);
    },
    close: async () => {
      await Promise.all([...services.values()].map((service) => service.stop()));
      await observer.stop();
      await specs.destroy().catch(() => undefined);
      await deleteStreams(bus).catch(() => undefined);
      await bus.close();
      for (const name of serviceNames) {
        await dropSchema(infra.databaseUrl, serviceSchema(namespace, name)).catch(() => undefined);
      }
      const store = createArtifactStore({ ...infra.s3, bucket });
      await store.removeBucket(true).catch(() => undefined);
    },
  };
}

export interface CsvBatch {
  key: string;
  csv: string;
  rows: Record<string, string>[];
}

/** Splits a vega-datasets CSV into one batch per calendar month of its `date` column (optionally one location). */
export function monthlyBatches(file: string, filter?: (row: Record<string, string>) => boolean): CsvBatch[] {
  const text = readFileSync(join(REPO_ROOT, "node_modules/vega-datasets/data", file), "utf8");
  const rows = (parse(text, { columns: true }) as Record<string, string>[]).filter(filter ?? (() => true));
  const header = Object.keys(rows[0] ?? {});
  const months = new Map<string, Record<string, string>[]>();
  for (const row of rows) {
    const month = (row.date ?? "").slice(0, 7);
    months.set(month, [...(months.get(month) ?? []), row]);
  }
  return [...months].map(([month, monthRows]) => ({
    key: `${file}-${month}${monthRows[0]?.location ? `-${monthRows[0].location}` : ""}`.replace(
      /[^A-Za-z0-9._:-]/g,
      "_",
    ),
    csv: [header.join(","), ...monthRows.map((row) => header.map((column) => row[column] ?? "").join(","))].join("\n"),
    rows: monthRows,
  }));
}

/** Polls `probe` every 500 ms until it returns a value; fails after `timeoutMs` with the last error it threw. */
export async function eventually<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms${last ? `: ${String(last)}` : ""}`);
}

/**
 * examples/weather.spec.yaml as `dataset`, retraining on drift only (no row-count retrains, no cooldown), so the
 * loop's own decisions are what a test watches; few epochs keep it quick.
 */
export function driftOnlyWeatherSpec(dataset: string, epochs: number): ReturnType<typeof parseDatasetSpec> {
  const spec = parseDatasetSpec(readFileSync(join(REPO_ROOT, "examples/weather.spec.yaml"), "utf8"));
  return {
    ...spec,
    name: dataset,
    training: { ...spec.training, retrainEveryRows: 0, cooldownSeconds: 0 },
    model: { ...spec.model, epochs },
  };
}

type UnaryMethod = (request: object, callback: (err: grpc.ServiceError | null, response: unknown) => void) => void;

/** A unary gRPC call of any generated client by method name, as a promise. */
export function unary<Response>(client: grpc.Client, method: string, request: object): Promise<Response> {
  const call = (client as unknown as Record<string, UnaryMethod>)[method];
  if (!call) return Promise.reject(new Error(`the client has no method ${method}`));
  return new Promise((resolve, reject) => {
    call.call(client, request, (err, response) => (err ? reject(err) : resolve(response as Response)));
  });
}
