import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createArtifactStore } from "@gyre/artifacts";
import { consumerStatus, readDlq } from "@gyre/bus";
import type { DataRejected } from "@gyre/contracts";
import { serviceSchema } from "@gyre/service";
import pg from "pg";
import { type Loop, monthlyBatches, startLoop } from "../harness.ts";
import { buildCorpus, CONSUMED, type CorpusEvent, countByCategory } from "./corpus.ts";

const SERVICES = ["ingestion", "validation", "feature-store", "trainer", "registry", "serving", "monitoring"];
/** The DLQ of each consuming service; monitoring's two durables share `<ns>.dlq.monitoring`. */
const DLQ_SERVICES = ["ingestion", "validation", "feature-store", "monitoring", "trainer", "registry"];
const DURABLES = [
  "ingestion",
  "validation",
  "feature-store",
  "monitoring",
  "monitoring-champions",
  "trainer",
  "registry",
];
const SPEC_DATASET = "corpus";
const GOOD_DATASET = "good";
const SEED = 20261127;
const SETTLE_TIMEOUT_MS = 150_000;

type Outcome =
  | { via: "dlq"; kind: string; reason: string }
  | { via: "rejected"; reason: string }
  | { via: "trigger"; reason: string };

/** The event id a body carries, when it decodes (as the consumer decodes it) to an object with one. */
function eventIdOf(body: Uint8Array): string | undefined {
  try {
    const value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body)) as { id?: unknown };
    return typeof value?.id === "string" ? value.id : undefined;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("bad input on every consumed subject: each event is dead-lettered or rejected, nothing breaks", () => {
  let loop: Loop;
  let db: pg.Client;
  let corpus: CorpusEvent[];
  /** `<service>|<msgId>` → what became of it. */
  const outcomes = new Map<string, Outcome>();
  const expected = new Map<string, CorpusEvent>();
  let publishMs = 0;
  let settleMs = 0;

  before(async () => {
    loop = await startLoop(SERVICES, {}, ["data.rejected", "features.updated"]);
    db = new pg.Client({ connectionString: loop.infra.databaseUrl });
    await db.connect();
    await loop.applySpec("examples/weather.spec.yaml", SPEC_DATASET);
    const maxPayload = loop.bus.connection.info?.max_payload ?? 1024 * 1024;
    corpus = buildCorpus({
      seed: SEED,
      namespace: loop.namespace,
      specDataset: SPEC_DATASET,
      bucket: loop.bucket,
      maxPayload,
    });
    for (const entry of corpus) {
      for (const service of CONSUMED[entry.type]) expected.set(`${service}|${entry.msgId}`, entry);
    }

    // Raw bytes straight to JetStream (the bus's own publish refuses invalid events), a few dozen in flight.
    const started = performance.now();
    const js = loop.bus.jetstream;
    for (let index = 0; index < corpus.length; index += 64) {
      const acks = await Promise.all(
        corpus.slice(index, index + 64).map((entry) => js.publish(entry.subject, entry.body, { msgID: entry.msgId })),
      );
      for (const ack of acks) assert.equal(ack.duplicate, false, "every corpus entry has its own Nats-Msg-Id");
    }
    publishMs = performance.now() - started;

    const cursors = new Map<string, number>(DLQ_SERVICES.map((service) => [service, 1]));
    const byMsgId = new Map(corpus.map((entry) => [entry.msgId, entry]));
    const byBatchId = new Map(
      corpus.filter((entry) => entry.rejectableBatchId).map((entry) => [entry.rejectableBatchId as string, entry]),
    );
    const byEventId = new Map(
      corpus
        .filter((entry) => CONSUMED[entry.type].includes("trainer" as never))
        .flatMap((entry) => {
          const id = eventIdOf(entry.body);
          return id === undefined ? [] : [[id, entry] as const];
        }),
    );
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    while (outcomes.size < expected.size && Date.now() < deadline) {
      for (const service of DLQ_SERVICES) {
        for (;;) {
          const letters = await readDlq(loop.bus, service, { fromSeq: cursors.get(service) ?? 1, max: 500 });
          for (const letter of letters) {
            const entry = letter.originalMsgId ? byMsgId.get(letter.originalMsgId) : undefined;
            if (entry)
              outcomes.set(`${service}|${entry.msgId}`, { via: "dlq", kind: letter.kind, reason: letter.reason });
          }
          const last = letters.at(-1);
          if (!last) break;
          cursors.set(service, last.seq + 1);
        }
      }
      for (const event of loop.seen("data.rejected")) {
        const rejected = event.data as DataRejected;
        const entry = byBatchId.get(rejected.batchId);
        if (entry) outcomes.set(`validation|${entry.msgId}`, { via: "rejected", reason: rejected.reason });
      }
      // The trainer cannot tell a forged features.updated or drift.detected of a dataset with a spec from a real one
      // (it has no way to ask the feature store about a batch): it records the trigger. Counted apart, see below.
      const { rows } = await db.query<{ event_id: string; decision: string; decision_reason: string }>(
        `SELECT event_id, decision, decision_reason FROM "${serviceSchema(loop.namespace, "trainer")}".triggers`,
      );
      for (const row of rows) {
        const entry = byEventId.get(row.event_id);
        if (entry)
          outcomes.set(`trainer|${entry.msgId}`, { via: "trigger", reason: `${row.decision}: ${row.decision_reason}` });
      }
      if (outcomes.size < expected.size) await sleep(500);
    }
    settleMs = performance.now() - started - publishMs;
  });

  after(async () => {
    await db?.end();
    await loop?.close();
  });

  it("publishes at least 1,000 malformed events over every consumed subject", () => {
    assert.ok(corpus.length >= 1000, `corpus has ${corpus.length} entries`);
    const types = new Set(corpus.map((entry) => entry.type));
    assert.deepEqual([...types].sort(), Object.keys(CONSUMED).sort());
    const categories = countByCategory(corpus);
    for (const category of ["not-json", "wrong-shape", "wrong-type", "missing-field", "huge", "odd-unicode"]) {
      assert.ok((categories[category] ?? 0) > 0, `category ${category} present`);
    }
    for (const category of ["unknown-dataset", "path-traversal", "sql-chars", "mismatch", "missing-object"]) {
      assert.ok((categories[category] ?? 0) > 0, `category ${category} present`);
    }
    console.log(
      `corpus: ${corpus.length} events (${JSON.stringify(categories)}), published in ${Math.round(publishMs)} ms`,
    );
  });

  it("accounts for every event: dead-lettered by each consuming service, or rejected by validation with a reason", () => {
    const missing = [...expected.keys()].filter((key) => !outcomes.has(key));
    const groups: Record<string, number> = {};
    for (const key of missing) {
      const entry = expected.get(key) as CorpusEvent;
      const group = `${key.split("|")[0]} ${entry.type} ${entry.category}`;
      groups[group] = (groups[group] ?? 0) + 1;
    }
    const sample = missing.slice(0, 10).map((key) => {
      const entry = expected.get(key) as CorpusEvent;
      return `${key} ${entry.category} on ${entry.subject}: ${Buffer.from(entry.body.slice(0, 160)).toString("utf8")}`;
    });
    assert.equal(
      missing.length,
      0,
      `${missing.length} of ${expected.size} not accounted for: ${JSON.stringify(groups)}, e.g.\n${sample.join("\n")}`,
    );
    const counts = { dlq: 0, rejected: 0, triggers: 0, byKind: {} as Record<string, number> };
    for (const [key, outcome] of outcomes) {
      assert.ok(outcome.reason.length > 0, "every outcome carries a reason");
      if (outcome.via === "rejected") counts.rejected++;
      else if (outcome.via === "trigger") {
        // Only a well-formed trigger event of the dataset with a spec may be recorded, and it must not start a run.
        const entry = expected.get(key) as CorpusEvent;
        assert.equal(entry.subject, `${loop.namespace}.${entry.type}.${SPEC_DATASET}`, `${key} recorded as a trigger`);
        assert.match(outcome.reason, /^skip: /, `${key} recorded as a trigger that trains`);
        counts.triggers++;
      } else {
        counts.dlq++;
        counts.byKind[outcome.kind] = (counts.byKind[outcome.kind] ?? 0) + 1;
      }
    }
    console.log(
      `outcomes: ${outcomes.size} (${counts.dlq} dead-lettered ${JSON.stringify(counts.byKind)}, ` +
        `${counts.rejected} data.rejected, ${counts.triggers} well-formed trainer triggers recorded as skip), settled ${Math.round(settleMs)} ms after publishing`,
    );
  });

  it("keeps every service process running", () => {
    for (const [name, service] of loop.services) {
      assert.equal(service.process.exitCode, null, `${name} exited: ${service.text.slice(-20).join("\n")}`);
      assert.equal(service.process.signalCode, null, `${name} was killed`);
    }
  });

  it("leaves no consumer with pending or unacknowledged messages", async () => {
    const deadline = Date.now() + 30_000;
    let statuses = await Promise.all(DURABLES.map((durable) => consumerStatus(loop.bus, durable)));
    while (statuses.some((status) => status.pending + status.ackPending > 0) && Date.now() < deadline) {
      await sleep(500);
      statuses = await Promise.all(DURABLES.map((durable) => consumerStatus(loop.bus, durable)));
    }
    for (const status of statuses) {
      assert.deepEqual(
        { durable: status.durable, pending: status.pending, ackPending: status.ackPending },
        { durable: status.durable, pending: 0, ackPending: 0 },
      );
    }
  });

  it("writes nothing for the corpus datasets: no feature rows, versions, runs, champions, windows or S3 objects", async () => {
    // PostgreSQL text cannot hold NUL, so no row can name such a dataset; the query could not carry it either.
    const datasets = [...new Set(corpus.flatMap((entry) => entry.datasets))].filter((name) => !name.includes("\u0000"));
    const count = async (service: string, table: string) => {
      const schema = serviceSchema(loop.namespace, service);
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${schema}"."${table}" WHERE dataset = ANY($1)`,
        [datasets],
      );
      return { table: `${service}.${table}`, rows: rows[0]?.n };
    };
    const counts = await Promise.all([
      count("ingestion", "batches"),
      count("feature-store", "batches"),
      count("registry", "models"),
      count("registry", "versions"),
      count("trainer", "runs"),
      count("monitoring", "champions"),
      count("monitoring", "window_batches"),
      count("monitoring", "promotions"),
    ]);
    for (const counted of counts) assert.deepEqual(counted, { table: counted.table, rows: 0 });
    const offline = await db.query(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name LIKE 'offline_%'`,
      [serviceSchema(loop.namespace, "feature-store")],
    );
    assert.equal(offline.rows[0].n, 0, "no offline feature table was created for a corpus dataset");

    // The only objects: validation's reports of the batches it rejected (their raw batch is missing).
    const rejected = new Set(
      loop.seen("data.rejected").map((event) => `reports/${SPEC_DATASET}/${(event.data as DataRejected).batchId}.json`),
    );
    const store = createArtifactStore({ ...loop.infra.s3, bucket: loop.bucket });
    const unexpected: string[] = [];
    for await (const object of store.list("")) if (!rejected.has(object.key)) unexpected.push(object.key);
    assert.deepEqual(unexpected, []);
  });

  it("still runs the data path afterwards: a valid CSV batch reaches features.updated", async () => {
    await loop.applySpec("examples/weather.spec.yaml", GOOD_DATASET);
    const batch = monthlyBatches("weather.csv", (row) => row.location === "Seattle")[0];
    assert.ok(batch);
    await loop.publishArrived(GOOD_DATASET, batch.key, batch.csv);
    const deadline = Date.now() + 60_000;
    let updated = loop
      .seen("features.updated")
      .find((event) => (event.data as { dataset: string }).dataset === GOOD_DATASET);
    while (!updated && Date.now() < deadline) {
      await sleep(250);
      updated = loop
        .seen("features.updated")
        .find((event) => (event.data as { dataset: string }).dataset === GOOD_DATASET);
    }
    assert.ok(updated, "features.updated for the valid batch");
    assert.equal((updated.data as { rowsWritten: number }).rowsWritten, batch.rows.length);
  });
});
