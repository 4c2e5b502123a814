import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createArtifactStore } from "@gyre/artifacts";
import { readDlq } from "@gyre/bus";
import { type DataIngested, type DataRejected, newEvent } from "@gyre/contracts";
import { serviceSchema } from "@gyre/service";
import { seattleWeatherDays, seattleWeatherParquet } from "@gyre/testkit";
import pg from "pg";
import { type Loop, startLoop } from "../harness.ts";
import { type BadFile, badFiles, type FileOutcome } from "./file-corpus.ts";

const DATASET = "seattle-weather";
const MAX_BATCH_BYTES = 1_000_000;
const SETTLE_TIMEOUT_MS = 120_000;

/** A dead letter's reason, with the kind ingestion recorded in rejected_arrivals; or validation's rejection. */
type Seen = { via: "dlq"; kind: string | undefined; reason: string } | { via: "rejected"; reason: string };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("bad files: truncated or damaged Parquet and gzip, gzip bombs and wrong schemas are refused by name", () => {
  let loop: Loop;
  let corpus: BadFile[];
  let db: pg.Client;
  /** batch key → what became of it. */
  const outcomes = new Map<string, Seen>();

  before(async () => {
    const limit = String(MAX_BATCH_BYTES);
    loop = await startLoop(["ingestion", "validation"], {
      INGEST_MAX_BATCH_BYTES: limit,
      VALIDATION_MAX_BATCH_BYTES: limit,
    });
    await loop.applySpec("examples/seattle-weather.spec.yaml", DATASET);
    db = new pg.Client({ connectionString: loop.infra.databaseUrl });
    await db.connect();
    corpus = badFiles({ dataset: DATASET, bucket: loop.bucket, maxBatchBytes: MAX_BATCH_BYTES });
    const store = createArtifactStore({ ...loop.infra.s3, bucket: loop.bucket });
    const eventIds = new Map<string, string>();
    for (const entry of corpus) {
      if (entry.object) await store.put(entry.object.key, entry.object.bytes);
      const event = newEvent("data.arrived", "e2e-bad-files", entry.arrival);
      eventIds.set(event.id, entry.arrival.batchKey);
      await loop.bus.publish(event, DATASET);
    }

    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    while (outcomes.size < corpus.length && Date.now() < deadline) {
      const { rows } = await db.query<{ batch_key: string; kind: string }>(
        `SELECT batch_key, kind FROM "${serviceSchema(loop.namespace, "ingestion")}".rejected_arrivals`,
      );
      const kinds = new Map(rows.map((row) => [row.batch_key, row.kind]));
      for (const letter of await readDlq(loop.bus, "ingestion", { max: 500 })) {
        const batchKey = letter.originalMsgId ? eventIds.get(letter.originalMsgId) : undefined;
        if (batchKey && letter.kind === "permanent") {
          outcomes.set(batchKey, { via: "dlq", kind: kinds.get(batchKey), reason: letter.reason });
        }
      }
      const keyOfBatch = new Map(
        loop.seen("data.ingested").map((event) => {
          const data = event.data as DataIngested;
          return [data.batchId, data.batchKey];
        }),
      );
      for (const event of loop.seen("data.rejected")) {
        const rejected = event.data as DataRejected;
        const batchKey = keyOfBatch.get(rejected.batchId);
        if (batchKey) outcomes.set(batchKey, { via: "rejected", reason: rejected.reason });
      }
      if (outcomes.size < corpus.length) await sleep(300);
    }
  });

  after(async () => {
    await db?.end();
    await loop?.close();
  });

  it("accounts for every bad file: dead-lettered by ingestion or rejected by validation, naming the problem", () => {
    const wrong: string[] = [];
    for (const entry of corpus) {
      const seen = outcomes.get(entry.arrival.batchKey);
      if (!matches(seen, entry.expected)) {
        wrong.push(`${entry.name}: expected ${expectation(entry.expected)}, got ${JSON.stringify(seen) ?? "nothing"}`);
      }
    }
    assert.deepEqual(wrong, []);
    assert.ok(
      corpus.some((entry) => entry.expected.via === "rejected"),
      "wrong schemas reach validation",
    );
  });

  it("stores the bytes of no batch that ingestion refused", async () => {
    const refused = corpus.filter((entry) => entry.expected.via === "dlq").map((entry) => entry.arrival.batchKey);
    const raw: string[] = [];
    const store = createArtifactStore({ ...loop.infra.s3, bucket: loop.bucket });
    for await (const object of store.list("raw/")) raw.push(object.key);
    const ingested = loop.seen("data.ingested").map((event) => (event.data as DataIngested).objectKey);
    assert.deepEqual(raw.sort(), [...ingested].sort(), "only batches ingestion accepted are stored");
    assert.equal(ingested.length, corpus.length - refused.length);
  });

  it("keeps both services running: a good Parquet file afterwards is validated", async () => {
    const january = seattleWeatherDays().filter((day) => day.date.startsWith("2012-01"));
    const arrival = {
      dataset: DATASET,
      batchKey: "good-after",
      format: "parquet" as const,
      rowsBase64: seattleWeatherParquet(january).toString("base64"),
    };
    const before = loop.seen("data.validated").length;
    await loop.bus.publish(newEvent("data.arrived", "e2e-bad-files", arrival), DATASET);
    const validated = await loop.waitFor("data.validated", before + 1, 60_000);
    assert.equal((validated.at(-1)?.data as { rowCount: number } | undefined)?.rowCount, 31);
    for (const [name, service] of loop.services) {
      assert.equal(service.process.exitCode, null, `${name} exited`);
    }
  });
});

function matches(seen: Seen | undefined, expected: FileOutcome): boolean {
  if (seen === undefined || seen.via !== expected.via || !expected.reason.test(seen.reason)) return false;
  return expected.via !== "dlq" || (seen.via === "dlq" && seen.kind === expected.kind);
}

function expectation(expected: FileOutcome): string {
  return expected.via === "dlq"
    ? `a dead letter (${expected.kind}) matching ${expected.reason}`
    : `data.rejected matching ${expected.reason}`;
}
