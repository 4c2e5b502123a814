import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { type ArtifactStore, createArtifactStore } from "@gyre/artifacts";
import { type Bus, connectBus, type DeadLetter, deleteStreams, readDlq } from "@gyre/bus";
import { type CloudEvent, type DataArrived, type DataIngested, newEvent } from "@gyre/contracts";
import { createPool, dropSchema } from "@gyre/db";
import { REPO_ROOT, serviceSchema } from "@gyre/service";
import { parseDatasetSpec, SpecStore } from "@gyre/spec";
import { type Infra, infraFromEnv, type RunningService, serviceEnv, startService, uniqueId } from "@gyre/testkit";
import type pg from "pg";

export const DATASET = "seattle-weather";

export const sha256Of = (bytes: Buffer | string) => createHash("sha256").update(bytes).digest("hex");

/** node_modules/vega-datasets/data/seattle-weather.csv, byte for byte. */
export function seattleCsv(): Buffer {
  return readFileSync(`${REPO_ROOT}node_modules/vega-datasets/data/seattle-weather.csv`);
}

/** The file's rows as objects, numbers as numbers. */
export function seattleRows(): Record<string, string | number>[] {
  const [header = "", ...lines] = seattleCsv().toString("utf8").trimEnd().split("\n");
  const columns = header.split(",");
  return lines.map((line) =>
    Object.fromEntries(
      line.split(",").map((value, index) => [columns[index] ?? "", index === 0 || index === 5 ? value : Number(value)]),
    ),
  );
}

/**
 * One namespace, bucket and schema for a test file, with the ingestion service running as its own process, the
 * seattle-weather spec applied, and a probe consumer collecting data.ingested.
 */
export class IngestionHarness {
  readonly infra: Infra = infraFromEnv();
  readonly namespace = uniqueId("ing");
  readonly bucket = `gyre-${this.namespace}`;
  /** A producer's own bucket, for `s3://` references outside the service's bucket. */
  readonly producerBucket = `gyre-${this.namespace}-in`;
  readonly ingested: CloudEvent<DataIngested>[] = [];
  bus!: Bus;
  specs!: SpecStore;
  store!: ArtifactStore;
  producerStore!: ArtifactStore;
  pool!: pg.Pool;
  service!: RunningService;
  specRevision = 0;
  readonly #waiters = new Set<() => void>();

  async start(env: NodeJS.ProcessEnv = {}): Promise<void> {
    this.bus = await connectBus({
      servers: this.infra.natsUrl,
      namespace: this.namespace,
      name: `${this.namespace}-t`,
    });
    this.specs = await SpecStore.open(this.bus.connection, this.namespace);
    const spec = parseDatasetSpec(readFileSync(`${REPO_ROOT}examples/seattle-weather.spec.yaml`, "utf8"));
    this.specRevision = (await this.specs.apply({ ...spec, name: DATASET })).revision;
    this.store = createArtifactStore({ ...this.infra.s3, bucket: this.bucket });
    this.producerStore = createArtifactStore({ ...this.infra.s3, bucket: this.producerBucket });
    await this.producerStore.ensureBucket();
    await this.bus.consume({
      service: "probe",
      events: ["data.ingested"],
      handler: (event) => {
        this.ingested.push(event as CloudEvent<DataIngested>);
        for (const wake of this.#waiters) wake();
      },
    });
    this.service = await startService("ingestion", { ...serviceEnv(this.infra, this.namespace, this.bucket), ...env });
    this.pool = createPool({
      connectionString: this.infra.databaseUrl,
      schema: serviceSchema(this.namespace, "ingestion"),
    });
  }

  /** Publishes data.arrived for the dataset the data names; returns the event id. */
  async arrive(data: DataArrived, id = uniqueId("arrived-")): Promise<string> {
    await this.bus.publish(newEvent("data.arrived", "ingestion-test", data, { id }), data.dataset);
    return id;
  }

  /** The data.ingested of a producer batch key, once the probe has it. */
  ingestedFor(batchKey: string, timeoutMs = 20_000): Promise<CloudEvent<DataIngested>> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.ingested.find((event) => event.data.batchKey === batchKey);
        if (found === undefined) return;
        finish();
        resolve(found);
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`no data.ingested for batch key "${batchKey}" within ${timeoutMs} ms`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** The dead letter of an event, once ingestion has sent it to the DLQ. */
  async deadLetter(eventId: string, timeoutMs = 20_000): Promise<DeadLetter> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const letter = (await readDlq(this.bus, "ingestion")).find((entry) => entry.originalMsgId === eventId);
      if (letter) return letter;
      if (Date.now() > deadline) throw new Error(`event ${eventId} not in the ingestion DLQ after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async metrics(): Promise<string> {
    const line = await this.service.waitForLog((log) => log.event === "service.ops_listening");
    return (await fetch(`http://127.0.0.1:${String(line.port)}/metrics`)).text();
  }

  async cleanup(): Promise<void> {
    await this.service?.stop();
    await this.pool?.end();
    if (this.bus) {
      await deleteStreams(this.bus);
      await this.specs?.destroy();
      await this.bus.close();
    }
    await dropSchema(this.infra.databaseUrl, serviceSchema(this.namespace, "ingestion"));
    await this.store?.removeBucket(true);
    await this.producerStore?.removeBucket(true);
  }
}

/** The value of one series in Prometheus text, e.g. `gyre_ingestion_rejected_total{...reason="empty"}`; 0 when absent. */
export function seriesValue(metrics: string, name: string, label: string): number {
  const line = metrics.split("\n").find((row) => row.startsWith(`${name}{`) && row.includes(label));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(" ") + 1));
}

export interface Rejection {
  dataset: string;
  batch_key: string;
  kind: string;
  reason: string;
  at: Date;
}

/** Publishes a bad arrival and returns its dead letter and its rejected_arrivals row. */
export async function rejectedArrival(harness: IngestionHarness, data: DataArrived) {
  const eventId = await harness.arrive(data);
  const letter = await harness.deadLetter(eventId);
  const { rows } = await harness.pool.query<Rejection>("SELECT * FROM rejected_arrivals WHERE event_id = $1", [
    eventId,
  ]);
  assert.equal(rows.length, 1, `one rejected_arrivals row for ${eventId}`);
  const row = rows[0] as Rejection;
  assert.equal(letter.kind, "permanent");
  assert.equal(row.dataset, data.dataset);
  assert.equal(row.batch_key, data.batchKey);
  assert.ok(letter.reason.includes(row.reason), `DLQ reason "${letter.reason}" carries "${row.reason}"`);
  return { letter, row };
}
