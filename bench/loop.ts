/**
 * `npm run bench -- loop [--json]`: the time from publishing one drift-inducing batch (six months of New York
 * weather, after a champion trained on Seattle) to the new champion answering ModelInfer, with the drift-triggered
 * training run's own duration reported separately. overheadMs = loopMs − trainMs: everything that is not training
 * (ingestion, validation, the drift test, the trigger, the registry's decision, serving's load and swap).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { type InferenceClient, loadProto, type ModelInferResponse__Output } from "@gyre/grpc";
import { REPO_ROOT, serviceSchema } from "@gyre/service";
import { parseDatasetSpec } from "@gyre/spec";
import pg from "pg";
import { monthlyBatches, startLoop } from "../e2e/harness.ts";
import type { BenchOptions, BenchResult } from "./run.ts";

const DATASET = "weather";
const SERVICES = ["ingestion", "validation", "feature-store", "registry", "trainer", "serving", "monitoring"];

function servedVersion(client: InferenceClient, inputs: number): Promise<string> {
  const request = {
    model_name: DATASET,
    inputs: [
      { name: "input", datatype: "FP32", shape: [1, inputs], contents: { fp32_contents: new Array(inputs).fill(0) } },
    ],
  };
  return new Promise((resolve, reject) => {
    client.ModelInfer(request, (err: grpc.ServiceError | null, response?: ModelInferResponse__Output) =>
      err || !response ? reject(err ?? new Error("no response")) : resolve(response.model_version),
    );
  });
}

async function until<T>(timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out after ${timeoutMs} ms`);
}

/** Batches of the given months joined into one CSV batch. */
function joined(batches: ReturnType<typeof monthlyBatches>, key: string) {
  const header = batches[0]?.csv.split("\n")[0] ?? "";
  return { key, csv: [header, ...batches.flatMap((batch) => batch.csv.split("\n").slice(1))].join("\n") };
}

export async function run(_options: BenchOptions): Promise<BenchResult> {
  const loop = await startLoop(SERVICES);
  const db = new pg.Client({ connectionString: loop.infra.databaseUrl });
  await db.connect();
  try {
    const spec = parseDatasetSpec(readFileSync(join(REPO_ROOT, "examples/weather.spec.yaml"), "utf8"));
    await loop.specs.apply({ ...spec, name: DATASET, training: { ...spec.training, retrainEveryRows: 0 } });
    const seattle = monthlyBatches("weather.csv", (row) => row.location === "Seattle");
    for (let year = 0; year < 4; year++) {
      const batch = joined(seattle.slice(year * 12, year * 12 + 12), `seattle-${year}`);
      await loop.publishArrived(DATASET, batch.key, batch.csv);
    }
    const port = loop.services.get("serving")?.logs.find((line) => line.event === "grpc.listening")?.port;
    const Inference = loadProto("inference/grpc_predict_v2.proto").inference.GRPCInferenceService;
    const client = new Inference(`127.0.0.1:${String(port)}`, grpc.credentials.createInsecure());
    const inputs = 7;
    await until(600_000, async () => ((await servedVersion(client, inputs)) === "1" ? true : undefined));

    const newYork = monthlyBatches("weather.csv", (row) => row.location === "New York");
    const drifting = joined(newYork.slice(0, 6), "new-york-h1");
    const started = performance.now();
    await loop.publishArrived(DATASET, drifting.key, drifting.csv);
    const version = await until(600_000, async () => {
      const served = await servedVersion(client, inputs);
      return served !== "1" ? served : undefined;
    });
    const loopMs = performance.now() - started;
    client.close();

    const trainer = `"${serviceSchema(loop.namespace, "trainer")}".runs`;
    const { rows } = await db.query(
      `select duration_ms from ${trainer} where trigger->>'reason' = 'drift' and status = 'succeeded' order by started_at limit 1`,
    );
    const trainMs = Number(rows[0]?.duration_ms ?? Number.NaN);
    const detected = loop.seen("drift.detected").length;
    const round = (value: number) => Math.round(value);
    return {
      rows: [
        { measure: "drift-inducing batch → new champion answers ModelInfer", ms: round(loopMs) },
        { measure: "the drift-triggered training run", ms: round(trainMs) },
        { measure: "overhead (loop − training)", ms: round(loopMs - trainMs) },
      ],
      summary: {
        loopMs: round(loopMs),
        trainMs: round(trainMs),
        overheadMs: round(loopMs - trainMs),
        newVersion: Number(version),
        driftEvents: detected,
      },
    };
  } finally {
    await db.end();
    await loop.close();
  }
}
