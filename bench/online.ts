/**
 * `npm run bench -- online [--json] [seconds=5]`: online features on the real services. seattle-weather.csv streams
 * through ingestion, validation and the feature store, the trainer trains a model with its transforms (month, a lag,
 * a rolling mean) and serving loads it. Then, with a @grpc/grpc-js client:
 * - lookupP99Ms: GetOnlineFeatures of one entity through the feature store's gRPC API, concurrency 1;
 * - rawInferP99Ms: ModelInfer of a raw row (the spec's features and an event time after the last stored row, so
 *   serving computes the transforms from the history it holds in memory), concurrency 1;
 * - matrixInferP99Ms: ModelInfer of the same row with every model input given (FP32 [1, 7]), concurrency 1 — the floor;
 * - rawToMatrixQps: QPS of raw rows over QPS of matrices at concurrency 32.
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import type { InferenceClient, ModelInferRequest } from "@gyre/grpc";
import { loadProto } from "@gyre/grpc";
import { REPO_ROOT } from "@gyre/service";
import { parseDatasetSpec } from "@gyre/spec";
import { monthlyBatches, startLoop, unary } from "../e2e/harness.ts";
import type { BenchOptions, BenchResult } from "./run.ts";

const DATASET = "seattle-weather";
const C1_REQUESTS = 2000;
const WARMUP = 200;

type Call = () => Promise<unknown>;

async function p99AtOne(call: Call): Promise<number> {
  for (let i = 0; i < WARMUP; i++) await call();
  const times: number[] = [];
  for (let i = 0; i < C1_REQUESTS; i++) {
    const started = performance.now();
    await call();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.min(times.length - 1, Math.floor(0.99 * times.length))] as number;
}

async function qpsAt(call: Call, concurrency: number, seconds: number): Promise<number> {
  let answered = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        await call();
        answered += 1;
      }
    }),
  );
  return answered / ((performance.now() - started) / 1000);
}

const round = (value: number) => Math.round(value * 1000) / 1000;

export async function run(options: BenchOptions): Promise<BenchResult> {
  const seconds = Number(options.args.find((arg) => arg.startsWith("seconds="))?.split("=")[1] ?? 5);
  const loop = await startLoop(
    ["ingestion", "validation", "feature-store", "trainer", "registry", "serving"],
    { SERVING_LOG_SAMPLE_RATE: "0" },
    ["features.updated", "model.promoted"],
  );
  try {
    const spec = parseDatasetSpec(readFileSync(join(REPO_ROOT, "examples/seattle-weather.spec.yaml"), "utf8"));
    const batches = monthlyBatches("seattle-weather.csv");
    await loop.specs.apply({
      ...spec,
      name: DATASET,
      training: { ...spec.training, minRows: 1400, retrainEveryRows: 0, onDrift: false },
      model: { ...spec.model, epochs: 5 },
    });
    for (const batch of batches) await loop.publishArrived(DATASET, batch.key, batch.csv);
    await loop.waitFor("features.updated", batches.length, 300_000);
    await loop.waitFor("model.promoted", 1, 300_000);
    const insecure = grpc.credentials.createInsecure();
    const { FeatureStore } = loadProto("featurestore/feature_store.proto").gyre.featurestore.v1;
    const featureStore = new FeatureStore(String(loop.env.FEATURE_STORE_GRPC_ADDR), insecure);
    const { GRPCInferenceService } = loadProto("inference/grpc_predict_v2.proto").inference;
    const port = loop.services.get("serving")?.logs.find((line) => line.event === "grpc.listening")?.port;
    const serving: InferenceClient = new GRPCInferenceService(`127.0.0.1:${String(port)}`, insecure);
    for (let attempt = 0; ; attempt++) {
      const ready = (await unary(serving, "ModelReady", { name: DATASET, version: "" })) as { ready: boolean };
      if (ready.ready) break;
      if (attempt > 300) throw new Error("serving did not load the champion");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    // a day after the last stored one: history from serving's memory
    const raw: ModelInferRequest = {
      model_name: DATASET,
      inputs: [
        { name: "date", datatype: "BYTES", shape: [1], contents: { bytes_contents: [Buffer.from("2016-01-01")] } },
        ...[
          ["precipitation", 0],
          ["temp_max", 5.6],
          ["temp_min", -1.1],
          ["wind", 4.5],
        ].map(([name, value]) => ({
          name: String(name),
          datatype: "FP32",
          shape: [1],
          contents: { fp32_contents: [Number(value)] },
        })),
      ],
    };
    const matrix: ModelInferRequest = {
      model_name: DATASET,
      inputs: [
        {
          name: "input",
          datatype: "FP32",
          shape: [1, 7],
          contents: { fp32_contents: [0, 5.6, -1.1, 4.5, 1, 6.1, 1.2] },
        },
      ],
    };
    const lookup = () => unary(featureStore, "GetOnlineFeatures", { dataset: DATASET, entity_keys: [] });
    const rawCall = () => unary(serving, "ModelInfer", raw);
    const matrixCall = () => unary(serving, "ModelInfer", matrix);

    const lookupP99Ms = round(await p99AtOne(lookup));
    const rawInferP99Ms = round(await p99AtOne(rawCall));
    const matrixInferP99Ms = round(await p99AtOne(matrixCall));
    const rawQps = await qpsAt(rawCall, 32, seconds);
    const matrixQps = await qpsAt(matrixCall, 32, seconds);
    featureStore.close();
    serving.close();
    return {
      rows: [
        { measure: "GetOnlineFeatures c=1 p99 ms", value: lookupP99Ms },
        { measure: "ModelInfer raw row c=1 p99 ms", value: rawInferP99Ms },
        { measure: "ModelInfer matrix c=1 p99 ms", value: matrixInferP99Ms },
        { measure: "ModelInfer raw row c=32 QPS", value: Math.round(rawQps) },
        { measure: "ModelInfer matrix c=32 QPS", value: Math.round(matrixQps) },
      ],
      summary: {
        lookupP99Ms,
        rawInferP99Ms,
        matrixInferP99Ms,
        rawQps: Math.round(rawQps),
        matrixQps: Math.round(matrixQps),
        rawToMatrixQps: round(rawQps / matrixQps),
        targets: { lookupP99Ms: 2, rawToMatrixQps: 0.8 },
      },
    };
  } finally {
    await loop.close();
  }
}
