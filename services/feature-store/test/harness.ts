import { createHash } from "node:crypto";
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import { type ArtifactStore, createArtifactStore } from "@gyre/artifacts";
import { type Bus, connectBus, deleteStreams } from "@gyre/bus";
import { type CloudEvent, type FeaturesUpdated, newEvent } from "@gyre/contracts";
import { createPool, dropSchema, migrate } from "@gyre/db";
import {
  type ExportTrainingSetRequest,
  type ExportTrainingSetResponse__Output,
  type FeatureStoreClient,
  type GetOnlineFeaturesResponse__Output,
  loadProto,
  type RowChunk__Output,
  type TrainingSetHeader__Output,
} from "@gyre/grpc";
import { serviceSchema } from "@gyre/service";
import { type DatasetSpec, SpecStore } from "@gyre/spec";
import { type Infra, infraFromEnv, type RunningService, serviceEnv, startService, uniqueId } from "@gyre/testkit";
import type pg from "pg";
import { toNdjson } from "./weather.ts";

export type ExportedRow = Record<string, string | number | boolean | null> & { holdout: boolean };
export interface TrainingSet {
  header: TrainingSetHeader__Output;
  rows: ExportedRow[];
}

/** Chunks back into rows: one object per row, column name → value (null where listed in null_rows). */
export function decodeRows(header: TrainingSetHeader__Output, chunks: readonly RowChunk__Output[]): ExportedRow[] {
  const rows: ExportedRow[] = [];
  for (const chunk of chunks) {
    const nulls = chunk.columns.map((column) => new Set(column.null_rows));
    for (let index = 0; index < chunk.row_count; index++) {
      const row: ExportedRow = { holdout: chunk.holdout[index] === true };
      for (const [at, column] of header.columns.entries()) {
        const values = chunk.columns[at];
        if (!values || nulls[at]?.has(index)) {
          row[column.name] = null;
        } else if (column.type === "COLUMN_TYPE_DOUBLE" || column.type === "COLUMN_TYPE_INT64") {
          row[column.name] = values.numbers[index] ?? null;
        } else if (column.type === "COLUMN_TYPE_BOOL") {
          row[column.name] = values.bools[index] ?? null;
        } else {
          row[column.name] = values.strings[index] ?? null;
        }
      }
      rows.push(row);
    }
  }
  return rows;
}

/**
 * One namespace, bucket and schema for a test file, with the feature store running as its own process. The
 * harness plays validation: it puts typed NDJSON rows in S3 and publishes data.validated for them.
 */
export class FeatureStoreHarness {
  readonly infra: Infra = infraFromEnv();
  readonly namespace = uniqueId("fs");
  readonly bucket = `gyre-${this.namespace}`;
  readonly updates: CloudEvent<FeaturesUpdated>[] = [];
  bus!: Bus;
  specs!: SpecStore;
  store!: ArtifactStore;
  pool!: pg.Pool;
  service!: RunningService;
  client!: FeatureStoreClient;
  specRevision = 0;

  async start(spec: DatasetSpec, env: NodeJS.ProcessEnv = {}): Promise<void> {
    this.bus = await connectBus({
      servers: this.infra.natsUrl,
      namespace: this.namespace,
      name: `${this.namespace}-test`,
    });
    this.specs = await SpecStore.open(this.bus.connection, this.namespace);
    this.specRevision = (await this.specs.apply(spec)).revision;
    this.store = createArtifactStore({ ...this.infra.s3, bucket: this.bucket });
    await this.store.ensureBucket();
    await this.bus.consume({
      service: "probe",
      events: ["features.updated"],
      handler: (event) => {
        this.updates.push(event as CloudEvent<FeaturesUpdated>);
      },
    });
    this.service = await startService("feature-store", {
      ...serviceEnv(this.infra, this.namespace, this.bucket),
      FEATURE_STORE_GRPC_PORT: "0",
      ...env,
    });
    const listening = await this.service.waitForLog((line) => line.event === "grpc.listening");
    const { FeatureStore } = loadProto("featurestore/feature_store.proto").gyre.featurestore.v1;
    this.client = new FeatureStore(`127.0.0.1:${String(listening.port)}`, grpc.credentials.createInsecure());
    this.pool = createPool({
      connectionString: this.infra.databaseUrl,
      schema: serviceSchema(this.namespace, "feature-store"),
    });
  }

  /** Puts the rows at the rowsKey (or, with `rowsKey: null`, at validation's default key) and publishes data.validated. */
  async publishValidated(
    dataset: string,
    batchId: string,
    rows: readonly object[],
    options: { eventId?: string; specRevision?: number; rowsKey?: string | null; putRows?: boolean } = {},
  ): Promise<void> {
    const body = toNdjson(rows);
    const defaultKey = `validated/${dataset}/${batchId}.ndjson`;
    const rowsKey = options.rowsKey === undefined ? `rows/${dataset}/${batchId}.ndjson` : options.rowsKey;
    if (options.putRows !== false) await this.store.put(rowsKey ?? defaultKey, body);
    const data = {
      batchId,
      dataset,
      sha256: createHash("sha256").update(body).digest("hex"),
      specRevision: options.specRevision ?? this.specRevision,
      rowCount: rows.length,
      validRows: rows.length,
      invalidRows: 0,
      statistics: {},
      anomalies: [],
      ...(rowsKey === null ? {} : { rowsKey }),
    };
    const id = options.eventId ?? `validated-${batchId}`;
    await this.bus.publish(newEvent("data.validated", "/test/feature-store", data, { id }), dataset);
  }

  /** The service's log line for the batch: `features.written` or `features.duplicate`. */
  written(batchId: string, event = "features.written") {
    return this.service.waitForLog((line) => line.event === event && line.batchId === batchId, 20_000);
  }

  online(dataset: string, entityKeys: string[], at = ""): Promise<GetOnlineFeaturesResponse__Output> {
    return new Promise((resolve, reject) =>
      this.client.GetOnlineFeatures({ dataset, entity_keys: entityKeys, at }, (err, response) =>
        err || !response ? reject(err) : resolve(response),
      ),
    );
  }

  exportSet(request: ExportTrainingSetRequest): Promise<TrainingSet> {
    return new Promise((resolve, reject) => {
      const messages: ExportTrainingSetResponse__Output[] = [];
      const call = this.client.ExportTrainingSet(request);
      call.on("data", (message: ExportTrainingSetResponse__Output) => messages.push(message));
      call.on("error", reject);
      call.on("end", () => {
        const [first, ...rest] = messages;
        if (!first?.header) return reject(new Error(`first message is not a header: ${JSON.stringify(first)}`));
        const chunks = rest.map((message) => {
          if (!message.rows) throw new Error("a message after the header is not a row chunk");
          return message.rows;
        });
        resolve({ header: first.header, rows: decodeRows(first.header, chunks) });
      });
    });
  }

  async count(sql: string, values: unknown[] = []): Promise<number> {
    const { rows } = await this.pool.query<{ count: string }>(sql, values);
    return Number(rows[0]?.count);
  }

  async metrics(): Promise<string> {
    const line = await this.service.waitForLog((log) => log.event === "service.ops_listening");
    return (await fetch(`http://127.0.0.1:${String(line.port)}/metrics`)).text();
  }

  async cleanup(): Promise<void> {
    this.client?.close();
    await this.service?.stop();
    await this.pool?.end();
    if (this.bus) {
      await deleteStreams(this.bus);
      await this.specs?.destroy();
      await this.bus.close();
    }
    await dropSchema(this.infra.databaseUrl, serviceSchema(this.namespace, "feature-store"));
    await this.store?.removeBucket(true);
  }
}

/** Waits until `find` returns something other than undefined, polling. */
export async function eventually<T>(
  what: string,
  find: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 20_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A schema of its own with the store's migrations, for the tests of one describe block; dropped after them. */
export function migratedPool(): () => pg.Pool {
  const infra = infraFromEnv();
  const schema = `fs_${uniqueId()}`;
  let pool: pg.Pool | undefined;
  before(async () => {
    await migrate({
      connectionString: infra.databaseUrl,
      schema,
      dir: fileURLToPath(new URL("../migrations", import.meta.url)),
    });
    pool = createPool({ connectionString: infra.databaseUrl, schema });
  });
  after(async () => {
    await pool?.end();
    await dropSchema(infra.databaseUrl, schema);
  });
  return () => {
    if (!pool) throw new Error("the pool is made before the tests run");
    return pool;
  };
}
