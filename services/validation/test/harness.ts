import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { type ArtifactStore, createArtifactStore } from "@gyre/artifacts";
import { type Bus, connectBus, deleteStreams } from "@gyre/bus";
import { type CloudEvent, type DataRejected, type DataValidated, newEvent } from "@gyre/contracts";
import { createPool, dropSchema } from "@gyre/db";
import { serviceSchema } from "@gyre/service";
import { parseDatasetSpec, SpecStore } from "@gyre/spec";
import { type Infra, infraFromEnv, type RunningService, serviceEnv, startService, uniqueId } from "@gyre/testkit";
import type pg from "pg";

export type Outcome =
  | { type: "data.validated"; id: string; data: DataValidated }
  | { type: "data.rejected"; id: string; data: DataRejected };

/**
 * One namespace, bucket and database schema for a test file, with the validation service running as its own
 * process; `ingest` plays ingestion (raw batch into S3, then data.ingested), and `outcome` waits for the
 * data.validated / data.rejected that a probe consumer receives.
 */
export class ValidationHarness {
  readonly infra: Infra = infraFromEnv();
  readonly namespace = uniqueId("val");
  readonly bucket = `gyre-${this.namespace}`;
  /** Every outcome event received, in arrival order (JetStream drops republished duplicates). */
  readonly outcomes: Outcome[] = [];
  bus!: Bus;
  specs!: SpecStore;
  store!: ArtifactStore;
  pool!: pg.Pool;
  service!: RunningService;
  readonly #revisions = new Map<string, number>();
  readonly #waiters = new Set<() => void>();

  async start(datasets: readonly string[]): Promise<void> {
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
      events: ["data.validated", "data.rejected"],
      handler: (event: CloudEvent) => {
        this.outcomes.push(event as Outcome);
        for (const wake of this.#waiters) wake();
      },
    });
    this.service = await startService("validation", serviceEnv(this.infra, this.namespace, this.bucket));
    this.pool = createPool({
      connectionString: this.infra.databaseUrl,
      schema: serviceSchema(this.namespace, "validation"),
    });
  }

  revision(dataset: string): number {
    const revision = this.#revisions.get(dataset);
    if (revision === undefined) throw new Error(`no spec applied for dataset "${dataset}"`);
    return revision;
  }

  /** Puts the raw batch at raw/<dataset>/<sha256>.<format> and publishes data.ingested for it. */
  async ingest(
    dataset: string,
    batchId: string,
    body: string,
    options: {
      format?: "csv" | "ndjson" | "json";
      eventId?: string;
      specRevision?: number;
      /** What is put in S3 instead of `body` (whose hash the event carries); null puts nothing. */
      stored?: string | null;
    } = {},
  ): Promise<{ objectKey: string; sha256: string }> {
    const sha256 = createHash("sha256").update(body).digest("hex");
    const objectKey = `raw/${dataset}/${sha256}.${options.format ?? "csv"}`;
    const stored = options.stored === undefined ? body : options.stored;
    if (stored !== null) await this.store.put(objectKey, stored);
    const data = {
      batchId,
      dataset,
      sha256,
      objectKey,
      rowCount: Math.max(body.trim().split("\n").length - 1, 0),
      eventTimeMin: null,
      eventTimeMax: null,
      specRevision: options.specRevision ?? this.#revisions.get(dataset) ?? 1,
      batchKey: batchId,
    };
    const id = options.eventId ?? `ingested-${batchId}`;
    await this.bus.publish(newEvent("data.ingested", "validation-test", data, { id }), dataset);
    return { objectKey, sha256 };
  }

  /** The outcome event of a batch, once it arrives. */
  outcome(batchId: string, timeoutMs = 20_000): Promise<Outcome> {
    return this.until(`the outcome of batch "${batchId}"`, timeoutMs, () =>
      this.outcomes.find((outcome) => outcome.data.batchId === batchId),
    );
  }

  /** Resolves with the first value `find` returns other than undefined, re-checking on every outcome event. */
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

  /** Polls `find` until it returns something other than undefined. */
  async poll<T>(what: string, timeoutMs: number, find: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await find();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async metrics(): Promise<string> {
    const line = await this.service.waitForLog((log) => log.event === "service.ops_listening");
    const response = await fetch(`http://127.0.0.1:${String(line.port)}/metrics`);
    return response.text();
  }

  async cleanup(): Promise<void> {
    await this.service?.stop();
    await this.pool?.end();
    if (this.bus) {
      await deleteStreams(this.bus);
      await this.specs?.destroy();
      await this.bus.close();
    }
    await dropSchema(this.infra.databaseUrl, serviceSchema(this.namespace, "validation"));
    await this.store?.removeBucket(true);
  }
}

/** examples/seattle-weather.spec.yaml, as applied under another dataset name. */
export function seattleSpec() {
  const text = readFileSync(new URL("../../../examples/seattle-weather.spec.yaml", import.meta.url), "utf8");
  return parseDatasetSpec(text);
}

/** seattle-weather.csv as its header line and data lines. */
export function seattleLines(): { header: string; lines: string[] } {
  const text = readFileSync(
    new URL("../../../node_modules/vega-datasets/data/seattle-weather.csv", import.meta.url),
    "utf8",
  );
  const [header = "", ...lines] = text.trimEnd().split("\n");
  return { header, lines };
}

/** The data lines grouped by month ("2012-01"), in file order. */
export function monthlyBatches(): Map<string, string[]> {
  const months = new Map<string, string[]>();
  for (const line of seattleLines().lines) {
    const month = line.slice(0, 7);
    months.set(month, [...(months.get(month) ?? []), line]);
  }
  return months;
}

export function csvOf(header: string, lines: readonly string[]): string {
  return `${[header, ...lines].join("\n")}\n`;
}
