import { createHash } from "node:crypto";
import { type AddressInfo, createServer } from "node:net";
import * as grpc from "@grpc/grpc-js";
import { type ArtifactStore, createArtifactStore } from "@gyre/artifacts";
import { type Bus, connectBus, deleteStreams } from "@gyre/bus";
import { type CloudEvent, type GyreEvent, newEvent, type ServingRole } from "@gyre/contracts";
import { dropSchema } from "@gyre/db";
import { loadProto, type MonitoringClient } from "@gyre/grpc";
import { type FeatureRow, type ModelBundle, saveBundle, selectBackend } from "@gyre/model";
import { serviceSchema } from "@gyre/service";
import { type DatasetSpec, modelInputColumns, SpecStore } from "@gyre/spec";
import { type Infra, infraFromEnv, type RunningService, serviceEnv, startService, uniqueId } from "@gyre/testkit";
import { trainModel } from "@gyre/trainer";
import type { WeatherRow } from "./weather.ts";

/** Importing tfjs and the OpenTelemetry instrumentation takes 10-20 s on a busy two-core machine. */
const START_TIMEOUT_MS = 90_000;

type ObservedType = "performance.measured" | "drift.detected" | "model.promoted";
export type Observed = GyreEvent<ObservedType>;

/** A unary call as a promise; a failed call rejects with the grpc ServiceError. */
type Promisified<C> = {
  [K in keyof C as K extends Capitalize<string & K> ? K : never]: C[K] extends (
    argument: infer Request,
    callback: grpc.requestCallback<infer Response>,
  ) => grpc.ClientUnaryCall
    ? (request: Request) => Promise<Response>
    : never;
};

/**
 * One namespace, bucket and schema per test file, with real registry and monitoring processes. The test plays the
 * trainer (it trains a small model, saves the bundle, publishes model.trained), validation (data.validated with the
 * typed rows in S3) and serving (predictions.logged); a probe collects what monitoring and the registry publish.
 */
export class MonitoringHarness {
  readonly infra: Infra = infraFromEnv();
  readonly namespace = uniqueId("mon");
  readonly bucket = `gyre-${this.namespace}`;
  readonly events: Observed[] = [];
  bus!: Bus;
  specs!: SpecStore;
  store!: ArtifactStore;
  registry: RunningService | undefined;
  monitoring!: RunningService;
  client!: MonitoringClient;
  revision = 0;
  readonly #waiters = new Set<() => void>();

  constructor(readonly spec: DatasetSpec) {}

  get dataset(): string {
    return this.spec.name;
  }

  async start(): Promise<void> {
    this.bus = await connectBus({
      servers: this.infra.natsUrl,
      namespace: this.namespace,
      name: `${this.namespace}-test`,
    });
    this.specs = await SpecStore.open(this.bus.connection, this.namespace);
    this.revision = (await this.specs.apply(this.spec)).revision;
    this.store = createArtifactStore({ ...this.infra.s3, bucket: this.bucket });
    await this.store.ensureBucket();
    await this.bus.consume({
      service: "probe",
      events: ["performance.measured", "drift.detected", "model.promoted"],
      handler: (event: CloudEvent) => {
        this.events.push(event as Observed);
        for (const wake of this.#waiters) wake();
      },
    });
    const env = serviceEnv(this.infra, this.namespace, this.bucket);
    // Both processes start at once: the registry on a port chosen here, which monitoring dials when it needs it.
    const registryPort = await freePort();
    // Kept as each one starts, so cleanup stops whichever did when the other fails.
    this.#monitoringEnv = { ...env, MONITORING_GRPC_PORT: "0", REGISTRY_GRPC_ADDR: `127.0.0.1:${registryPort}` };
    await Promise.all([
      startService("registry", { ...env, REGISTRY_GRPC_PORT: String(registryPort) }, START_TIMEOUT_MS).then(
        (service) => {
          this.registry = service;
        },
      ),
      this.startMonitoring(),
    ]);
  }

  #monitoringEnv: NodeJS.ProcessEnv = {};

  /** Starts a monitoring process (again, after `monitoring.stop()`), and points `client` at it. */
  async startMonitoring(): Promise<void> {
    this.monitoring = await startService("monitoring", this.#monitoringEnv, START_TIMEOUT_MS);
    const port = (await this.monitoring.waitForLog((line) => line.event === "grpc.listening")).port;
    const Monitoring = loadProto("monitoring/monitoring.proto").gyre.monitoring.v1.Monitoring;
    this.client?.close();
    this.client = new Monitoring(`127.0.0.1:${String(port)}`, grpc.credentials.createInsecure());
  }

  /** Trains the spec's model on rows with their transforms (the latest 20% as holdout), as the trainer would. */
  async train(runId: string, featureRows: readonly FeatureRow[]): Promise<ModelBundle> {
    await selectBackend(process.env.TFJS_BACKEND);
    const cut = featureRows.length - Math.round(featureRows.length * this.spec.training.holdoutShare);
    const run = await trainModel({
      spec: this.spec,
      trainRows: featureRows.slice(0, cut),
      holdoutRows: featureRows.slice(cut),
      run: { runId, specRevision: this.revision, snapshotId: `snap-${runId}`, codeVersion: "test" },
    });
    return run.bundle;
  }

  /** Saves the bundle under `models/<dataset>/<runId>` and publishes model.trained for it, as the trainer does. */
  async publishTrained(runId: string, bundle: ModelBundle, options: PublishTrained = {}): Promise<void> {
    const artifactKey = `models/${this.dataset}/${runId}`;
    await saveBundle(this.store, artifactKey, bundle);
    const data = {
      runId,
      dataset: this.dataset,
      metrics: { ...bundle.metadata.metrics, ...options.metrics } as Record<string, number>,
      championMetrics: options.champion?.metrics ?? null,
      championVersion: options.champion?.version ?? null,
      artifactKey,
      snapshot: {
        id: `snap-${runId}`,
        batches: (options.snapshotBatchIds ?? [`${runId}-batch`]).map((batchId) => ({
          batchId,
          sha256: sha256(batchId),
        })),
      },
      specRevision: this.revision,
      backend: "cpu",
      trigger: options.trigger ?? { reason: "features" as const, eventIds: [`features-${runId}`] },
    };
    await this.bus.publish(
      newEvent("model.trained", "monitoring-test", data, { id: `trained-${runId}` }),
      this.dataset,
    );
  }

  /** Writes the rows as validation would (typed NDJSON in S3) and publishes data.validated for them. */
  async publishValidated(
    batchId: string,
    rows: readonly WeatherRow[],
    eventId = `validated-${batchId}`,
  ): Promise<void> {
    const rowsKey = `validated/${this.dataset}/${batchId}.ndjson`;
    await this.store.put(rowsKey, rows.map((row) => `${JSON.stringify(row)}\n`).join(""));
    await this.publishValidatedEvent(batchId, rows.length, rowsKey, eventId);
  }

  async publishValidatedEvent(batchId: string, rowCount: number, rowsKey: string, eventId: string): Promise<void> {
    const data = {
      batchId,
      dataset: this.dataset,
      sha256: sha256(batchId),
      specRevision: this.revision,
      rowCount,
      validRows: rowCount,
      invalidRows: 0,
      statistics: {},
      anomalies: [],
      rowsKey,
    };
    await this.bus.publish(newEvent("data.validated", "monitoring-test", data, { id: eventId }), this.dataset);
  }

  /** predictions.logged as serving sends it: the model's inputs (transforms included) per request. */
  async publishPredictions(
    eventId: string,
    rows: readonly Record<string, unknown>[],
    role: ServingRole,
    modelVersion: number,
  ): Promise<void> {
    const inputNames = modelInputColumns(this.spec).map((column) => column.name);
    const records = rows.map((row, index) => ({
      requestId: `${eventId}-${index}`,
      inputs: Object.fromEntries(inputNames.map((name) => [name, (row[name] ?? null) as string | number | null])),
      outputs: { weather: "sun" },
      at: new Date().toISOString(),
    }));
    const data = { dataset: this.dataset, modelVersion, role, records };
    await this.bus.publish(newEvent("predictions.logged", "serving-test", data, { id: eventId }), this.dataset);
  }

  /** predictions.logged with the records as given (answers in `outputs.label`, as serving logs a classifier's). */
  async publishServed(
    eventId: string,
    modelVersion: number,
    role: ServingRole,
    records: { requestId: string; label: string; at: Date }[],
  ): Promise<void> {
    const data = {
      dataset: this.dataset,
      modelVersion,
      role,
      records: records.map((record) => ({
        requestId: record.requestId,
        inputs: { temp_max: 10 },
        outputs: { label: record.label },
        at: record.at.toISOString(),
      })),
    };
    await this.bus.publish(newEvent("predictions.logged", "serving-test", data, { id: eventId }), this.dataset);
  }

  /** labels.arrived as a producer sends it. */
  async publishLabels(eventId: string, labels: { requestId: string; label: string | number }[]): Promise<void> {
    const data = { dataset: this.dataset, labels };
    await this.bus.publish(newEvent("labels.arrived", "producer-test", data, { id: eventId }), this.dataset);
  }

  /** The first collected event of this type that matches, once it arrives. */
  event<T extends ObservedType>(
    type: T,
    match: (event: GyreEvent<T>) => boolean,
    timeoutMs = 30_000,
  ): Promise<GyreEvent<T>> {
    const find = () => this.eventsOf(type).find(match);
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found === undefined) return;
        finish();
        resolve(found);
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for a matching ${type}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }

  eventsOf<T extends ObservedType>(type: T): GyreEvent<T>[] {
    return this.events.filter((event) => event.type === type) as unknown as GyreEvent<T>[];
  }

  /** The monitoring service's gRPC methods as promises. */
  get rpc(): Promisified<MonitoringClient> {
    const client = this.client;
    return new Proxy({} as Promisified<MonitoringClient>, {
      get: (_target, method: string) => (request: unknown) =>
        new Promise((resolve, reject) => {
          const call = client[method as keyof MonitoringClient] as unknown as (
            request: unknown,
            callback: (error: grpc.ServiceError | null, response: unknown) => void,
          ) => void;
          call.call(client, request, (error, response) => (error ? reject(error) : resolve(response)));
        }),
    });
  }

  async metrics(): Promise<string> {
    const line = await this.monitoring.waitForLog((log) => log.event === "service.ops_listening");
    return (await fetch(`http://127.0.0.1:${String(line.port)}/metrics`)).text();
  }

  async cleanup(): Promise<void> {
    this.client?.close();
    await Promise.all([this.monitoring?.stop(), this.registry?.stop()]);
    if (this.bus) {
      await deleteStreams(this.bus);
      await this.specs?.destroy();
      await this.bus.close();
    }
    await dropSchema(this.infra.databaseUrl, serviceSchema(this.namespace, "monitoring"));
    await dropSchema(this.infra.databaseUrl, serviceSchema(this.namespace, "registry"));
    await this.store?.removeBucket(true);
  }
}

interface PublishTrained {
  metrics?: Record<string, number>;
  champion?: { version: number; metrics: Record<string, number> };
  trigger?: { reason: "features" | "drift" | "manual"; eventIds: string[] };
  /** The batches of the run's training snapshot; one made-up batch when unset. */
  snapshotBatchIds?: string[];
}

/** A TCP port nothing listens on now (the OS picks it; released at once for the service to bind). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The value of the sample of `name` whose labels include every one of `labels`; undefined when there is none. */
export function metricValue(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`)) continue;
    const close = line.lastIndexOf("}");
    const labelText = line.slice(name.length + 1, close);
    if (Object.entries(labels).every(([key, value]) => labelText.includes(`${key}="${value}"`))) {
      return Number(line.slice(close + 1).trim());
    }
  }
  return undefined;
}
