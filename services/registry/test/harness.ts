import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import * as grpc from "@grpc/grpc-js";
import { type ArtifactStore, createArtifactStore } from "@gyre/artifacts";
import { type Bus, connectBus, type DeadLetter, deleteStreams, readDlq } from "@gyre/bus";
import { type CloudEvent, type ModelPromoted, type ModelTrained, newEvent } from "@gyre/contracts";
import { dropSchema } from "@gyre/db";
import { loadProto, type ModelRegistryClient } from "@gyre/grpc";
import { serviceSchema } from "@gyre/service";
import { parseDatasetSpec, SpecStore } from "@gyre/spec";
import { type Infra, infraFromEnv, type RunningService, serviceEnv, startService, uniqueId } from "@gyre/testkit";

export type Decision = CloudEvent<ModelPromoted> & { type: "model.promoted" | "model.rejected" };

/** A unary call as a promise; a failed call rejects with the grpc ServiceError (code, details). */
type Call<Request, Response> = (request: Request) => Promise<Response>;
type Promisified<C> = {
  [K in keyof C as K extends Capitalize<string & K> ? K : never]: C[K] extends (
    argument: infer Request,
    callback: grpc.requestCallback<infer Response>,
  ) => grpc.ClientUnaryCall
    ? Call<Request, Response>
    : never;
};

/**
 * One namespace, bucket and database schema for a test file, with registry processes of its own; the test plays the
 * trainer: it puts artifact files in S3 and publishes model.trained. A probe consumer collects the decisions.
 */
export class RegistryHarness {
  readonly infra: Infra = infraFromEnv();
  readonly namespace = uniqueId("reg");
  readonly bucket = `gyre-${this.namespace}`;
  /** Every model.promoted / model.rejected received, in arrival order (JetStream drops republished duplicates). */
  readonly decisions: Decision[] = [];
  readonly services: RunningService[] = [];
  bus!: Bus;
  specs!: SpecStore;
  store!: ArtifactStore;
  client!: ModelRegistryClient;
  readonly #revisions = new Map<string, number>();
  readonly #waiters = new Set<() => void>();

  async start(datasets: readonly string[], replicas = 1): Promise<void> {
    this.bus = await connectBus({
      servers: this.infra.natsUrl,
      namespace: this.namespace,
      name: `${this.namespace}-test`,
    });
    this.specs = await SpecStore.open(this.bus.connection, this.namespace);
    for (const dataset of datasets) {
      const applied = await this.specs.apply({ ...seattleSpec(), name: dataset });
      this.#revisions.set(dataset, applied.revision);
    }
    this.store = createArtifactStore({ ...this.infra.s3, bucket: this.bucket });
    await this.store.ensureBucket();
    await this.bus.consume({
      service: "probe",
      events: ["model.promoted", "model.rejected"],
      handler: (event: CloudEvent) => {
        this.decisions.push(event as Decision);
        for (const wake of this.#waiters) wake();
      },
    });
    const started = await Promise.all(Array.from({ length: replicas }, () => this.startReplica()));
    const [first] = started;
    if (!first) throw new Error("no registry process started");
    const listening = await first.waitForLog((line) => line.event === "grpc.listening");
    const Registry = loadProto("registry/registry.proto").gyre.registry.v1.ModelRegistry;
    this.client = new Registry(`127.0.0.1:${String(listening.port)}`, grpc.credentials.createInsecure());
  }

  /** Another registry process on the same namespace, bucket and schema. */
  async startReplica(): Promise<RunningService> {
    const env = { ...serviceEnv(this.infra, this.namespace, this.bucket), REGISTRY_GRPC_PORT: "0" };
    const service = await startService("registry", env);
    this.services.push(service);
    return service;
  }

  get service(): RunningService {
    const [first] = this.services;
    if (!first) throw new Error("the registry was not started");
    return first;
  }

  /** The registry's gRPC methods as promises. */
  get rpc(): Promisified<ModelRegistryClient> {
    const client = this.client;
    return new Proxy({} as Promisified<ModelRegistryClient>, {
      get: (_target, method: string) => (request: unknown) =>
        new Promise((resolve, reject) => {
          const call = client[method as keyof ModelRegistryClient] as unknown as (
            request: unknown,
            callback: (error: grpc.ServiceError | null, response: unknown) => void,
          ) => void;
          call.call(client, request, (error, response) => (error ? reject(error) : resolve(response)));
        }),
    });
  }

  revision(dataset: string): number {
    const revision = this.#revisions.get(dataset);
    if (revision === undefined) throw new Error(`no spec applied for dataset "${dataset}"`);
    return revision;
  }

  /** Puts small model files (any bytes: the registry checks they exist) under the artifact key prefix. */
  async putArtifact(artifactKey: string): Promise<void> {
    await this.store.put(`${artifactKey}/model.json`, JSON.stringify({ modelTopology: {}, weightsManifest: [] }));
    await this.store.put(`${artifactKey}/metadata.json`, JSON.stringify({ artifactKey }));
    await this.store.put(`${artifactKey}/weights.bin`, Buffer.from([1, 2, 3, 4]));
  }

  /** A model.trained as the trainer would send it; the artifact key is `models/<dataset>/<runId>`. */
  trained(dataset: string, runId: string, fields: Partial<ModelTrained> = {}): ModelTrained {
    return {
      runId,
      dataset,
      metrics: { accuracy: 0.74, log_loss: 0.63, macro_f1: 0.5 },
      championMetrics: null,
      championVersion: null,
      artifactKey: `models/${dataset}/${runId}`,
      snapshot: snapshotOf(`snap-${runId}`, 3),
      specRevision: this.revision(dataset),
      backend: "cpu",
      codeVersion: "test-0.1.0",
      trigger: { reason: "features", eventIds: [`features-${runId}`] },
      ...fields,
    };
  }

  /** Publishes model.trained (each call under a fresh event id unless given, so JetStream does not drop it). */
  async publishTrained(trained: ModelTrained, eventId = `trained-${trained.runId}-${uniqueId("e")}`): Promise<void> {
    await this.bus.publish(newEvent("model.trained", "registry-test", trained, { id: eventId }), trained.dataset);
  }

  /** The decision event with this id, once it arrives. */
  decision(eventId: string, timeoutMs = 20_000): Promise<Decision> {
    return this.until(`decision event "${eventId}"`, timeoutMs, () =>
      this.decisions.find((decision) => decision.id === eventId),
    );
  }

  until<T>(what: string, timeoutMs: number, find: () => T | undefined): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found === undefined) return;
        finish();
        resolve(found);
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Polls until `find` returns something other than undefined. */
  async poll<T>(what: string, timeoutMs: number, find: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await find();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The registry's dead letter whose original event carried this run id. */
  deadLetter(runId: string, timeoutMs = 20_000): Promise<DeadLetter> {
    return this.poll(`a dead letter for run "${runId}"`, timeoutMs, async () => {
      const letters = await readDlq(this.bus, "registry");
      return letters.find((letter) => new TextDecoder().decode(letter.payload).includes(`"runId":"${runId}"`));
    });
  }

  async metrics(): Promise<string> {
    const line = await this.service.waitForLog((log) => log.event === "service.ops_listening");
    const response = await fetch(`http://127.0.0.1:${String(line.port)}/metrics`);
    return response.text();
  }

  async cleanup(): Promise<void> {
    this.client?.close();
    await Promise.all(this.services.map((service) => service.stop()));
    if (this.bus) {
      await deleteStreams(this.bus);
      await this.specs?.destroy();
      await this.bus.close();
    }
    await dropSchema(this.infra.databaseUrl, serviceSchema(this.namespace, "registry"));
    await this.store?.removeBucket(true);
  }
}

/** A training snapshot of `batches` batches with the sha256 of made-up raw contents. */
export function snapshotOf(id: string, batches: number): ModelTrained["snapshot"] {
  return {
    id,
    batches: Array.from({ length: batches }, (_, index) => ({
      batchId: `${id}-batch-${index + 1}`,
      sha256: createHash("sha256")
        .update(`${id} raw batch ${index + 1}`)
        .digest("hex"),
    })),
  };
}

/** examples/seattle-weather.spec.yaml (promotion: accuracy, minImprovement 0, guard log_loss 0.05). */
export function seattleSpec() {
  const text = readFileSync(new URL("../../../examples/seattle-weather.spec.yaml", import.meta.url), "utf8");
  return parseDatasetSpec(text);
}
