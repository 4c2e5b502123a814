/**
 * The training half of the loop on real infrastructure: ingestion, validation, feature-store and registry run through
 * e2e/harness.ts `startLoop`, and the trainer as its own process pointed at their gRPC ports. A probe consumer
 * collects model.trained, model.promoted, model.rejected and training.progress.
 */
import * as grpc from "@grpc/grpc-js";
import type { Consumer } from "@gyre/bus";
import type { CloudEvent, ModelPromoted, ModelTrained, TrainingProgress } from "@gyre/contracts";
import { createPool, dropSchema } from "@gyre/db";
import { loadProto, type ModelRegistryClient, type TrainerClient } from "@gyre/grpc";
import { serviceSchema } from "@gyre/service";
import type { DatasetSpecInput } from "@gyre/spec";
import { type RunningService, startService } from "@gyre/testkit";
import type pg from "pg";
import { type CsvBatch, type Loop, monthlyBatches, startLoop } from "../../../e2e/harness.ts";
import { seattleWeatherSpec } from "./seattle-weather.ts";

type Watched = "model.trained" | "model.promoted" | "model.rejected" | "training.progress";
const WATCHED: Watched[] = ["model.trained", "model.promoted", "model.rejected", "training.progress"];

export type Trained = CloudEvent<ModelTrained>;
export type Decision = CloudEvent<ModelPromoted>;
export type Progress = CloudEvent<TrainingProgress>;

/** A unary call as a promise; a failed call rejects with the grpc ServiceError. */
export type Promisified<C> = {
  [K in keyof C as K extends Capitalize<string & K> ? K : never]: C[K] extends (
    argument: infer Request,
    callback: grpc.requestCallback<infer Response>,
  ) => grpc.ClientUnaryCall
    ? (request: Request) => Promise<Response>
    : never;
};

function promisified<C extends grpc.Client>(client: C, deadlineMs: number): Promisified<C> {
  return new Proxy({} as Promisified<C>, {
    get: (_target, method: string) => (request: unknown) =>
      new Promise((resolve, reject) => {
        const call = client[method as keyof C] as unknown as (
          request: unknown,
          options: grpc.CallOptions,
          callback: (error: grpc.ServiceError | null, response: unknown) => void,
        ) => void;
        call.call(client, request, { deadline: new Date(Date.now() + deadlineMs) }, (error, response) =>
          error ? reject(error) : resolve(response),
        );
      }),
  });
}

export class TrainingLoop {
  loop!: Loop;
  trainer!: RunningService;
  /** The trainer's own schema, for asserting its run records. */
  db!: pg.Pool;
  registry!: Promisified<ModelRegistryClient>;
  rpc!: Promisified<TrainerClient>;
  readonly events = new Map<Watched, CloudEvent[]>(WATCHED.map((type) => [type, []]));
  readonly #wakers = new Set<() => void>();
  #probe: Consumer | undefined;
  #clients: grpc.Client[] = [];
  #trainerEnv: NodeJS.ProcessEnv = {};

  async start(trainerEnv: NodeJS.ProcessEnv = {}): Promise<void> {
    this.loop = await startLoop(["ingestion", "validation", "feature-store", "registry"], {
      FEATURE_STORE_GRPC_PORT: "0",
      REGISTRY_GRPC_PORT: "0",
    });
    this.#probe = await this.loop.bus.consume({
      service: "trainer-probe",
      events: WATCHED,
      concurrency: 8,
      handler: (event) => {
        this.events.get(event.type as Watched)?.push(event);
        for (const wake of this.#wakers) wake();
      },
    });
    const portOf = async (name: string) => {
      const service = this.loop.services.get(name);
      if (!service) throw new Error(`${name} is not running`);
      return String((await service.waitForLog((line) => line.event === "grpc.listening")).port);
    };
    const featureStorePort = await portOf("feature-store");
    const registryPort = await portOf("registry");
    this.#trainerEnv = {
      ...this.loop.env,
      FEATURE_STORE_GRPC_ADDR: `127.0.0.1:${featureStorePort}`,
      REGISTRY_GRPC_ADDR: `127.0.0.1:${registryPort}`,
      TRAINER_GRPC_PORT: "0",
      TRAINER_SWEEP_INTERVAL: "2s",
      ...trainerEnv,
    };
    const { ModelRegistry } = loadProto("registry/registry.proto").gyre.registry.v1;
    const registryClient = new ModelRegistry(`127.0.0.1:${registryPort}`, grpc.credentials.createInsecure());
    this.#clients.push(registryClient);
    this.registry = promisified(registryClient, 10_000);
    await this.startTrainer();
    this.db = createPool({
      connectionString: this.loop.infra.databaseUrl,
      schema: serviceSchema(this.loop.namespace, "trainer"),
    });
  }

  /** Starts a trainer process (again, after `trainer.kill()`), and points `rpc` at it. */
  async startTrainer(): Promise<void> {
    this.trainer = await startService("trainer", this.#trainerEnv, 60_000);
    const trainerPort = (await this.trainer.waitForLog((line) => line.event === "grpc.listening")).port;
    const { Trainer } = loadProto("trainer/trainer.proto").gyre.trainer.v1;
    const trainerClient = new Trainer(`127.0.0.1:${String(trainerPort)}`, grpc.credentials.createInsecure());
    this.#clients.push(trainerClient);
    this.rpc = promisified(trainerClient, 120_000);
  }

  /** Applies the seattle-weather example spec under `dataset`, with the given sections replaced. */
  async applySpec(dataset: string, changes: Partial<DatasetSpecInput> = {}): Promise<number> {
    const spec = seattleWeatherSpec();
    const applied = await this.loop.specs.apply({ ...spec, ...changes, name: dataset } as DatasetSpecInput);
    return applied.revision;
  }

  /** Sends the batches through ingestion as data.arrived. */
  async send(dataset: string, batches: readonly CsvBatch[]): Promise<void> {
    for (const batch of batches) await this.loop.publishArrived(dataset, batch.key, batch.csv);
  }

  seen<T extends CloudEvent>(type: Watched, predicate: (event: T) => boolean = () => true): T[] {
    return (this.events.get(type) ?? []).filter((event) => predicate(event as T)) as T[];
  }

  /** Resolves with the first `count` events of the type that match, once they arrived. */
  waitFor<T extends CloudEvent>(
    type: Watched,
    predicate: (event: T) => boolean,
    count = 1,
    timeoutMs = 90_000,
  ): Promise<T[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.seen<T>(type, predicate);
        if (found.length < count) return;
        clearTimeout(timer);
        this.#wakers.delete(check);
        resolve(found.slice(0, count));
      };
      const timer = setTimeout(() => {
        this.#wakers.delete(check);
        reject(
          new Error(`waited ${timeoutMs} ms for ${count} ${type} events, saw ${this.seen(type, predicate).length}`),
        );
      }, timeoutMs);
      this.#wakers.add(check);
      check();
    });
  }

  /** Polls the trainer's schema until `query` returns a row for which `done` holds. */
  async waitForRow<R extends pg.QueryResultRow>(
    query: string,
    values: unknown[],
    done: (rows: R[]) => boolean,
    timeoutMs = 90_000,
  ): Promise<R[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await this.db.query<R>(query, values);
      if (done(rows)) return rows;
      if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${query}: ${JSON.stringify(rows)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async close(): Promise<void> {
    await this.trainer?.stop();
    for (const client of this.#clients) client.close();
    await this.#probe?.stop();
    await this.db?.end();
    if (this.loop) {
      await dropSchema(this.loop.infra.databaseUrl, serviceSchema(this.loop.namespace, "trainer")).catch(
        () => undefined,
      );
      await this.loop.close();
    }
  }
}

/** seattle-weather.csv in batches of `months` calendar months (fewer, larger batches keep the loop quick). */
export function weatherBatches(months: number, filter?: (row: Record<string, string>) => boolean): CsvBatch[] {
  const monthly = monthlyBatches("seattle-weather.csv", filter);
  const batches: CsvBatch[] = [];
  for (let start = 0; start < monthly.length; start += months) {
    const group = monthly.slice(start, start + months);
    const [first] = group;
    if (!first) continue;
    const rows = group.flatMap((batch) => batch.rows);
    const header = first.csv.split("\n")[0] ?? "";
    const columns = header.split(",");
    batches.push({
      key: `${first.key}-x${group.length}`,
      csv: [header, ...rows.map((row) => columns.map((column) => row[column] ?? "").join(","))].join("\n"),
      rows,
    });
  }
  return batches;
}

export { seattleWeatherSpec };
