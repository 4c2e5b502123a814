import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type * as grpc from "@grpc/grpc-js";
import type { InferenceClient, ModelInferRequest } from "@gyre/grpc";
import { type FeatureRow, predict } from "@gyre/model";
import { seattleWeatherRows, seattleWeatherSpec } from "../../trainer/test/seattle-weather.ts";
import { infer, metricValue, type RegisteredModel, ServingHarness, type ServingProcess, scrape } from "./harness.ts";

const SEATTLE = "seattle-weather";
const INPUTS = ["precipitation", "temp_max", "temp_min", "wind", "month", "temp_max_lag1", "precipitation_mean_7"];
const rows = seattleWeatherRows().slice(300, 556);

const harness = new ServingHarness();
let v1: RegisteredModel;
let v2: RegisteredModel;

/** One row as the FP64 per-feature form, raw (so the answer's bytes can be compared directly). */
function rawRequest(row: FeatureRow): ModelInferRequest {
  return {
    model_name: SEATTLE,
    inputs: INPUTS.map((name) => ({ name, datatype: "FP64", shape: [1] })),
    raw_input_contents: INPUTS.map((name) => {
      const buffer = Buffer.alloc(8);
      buffer.writeDoubleLE(row[name] as number);
      return buffer;
    }),
  };
}

function probabilityBytes(response: { raw_output_contents: Buffer[] }): Buffer {
  return response.raw_output_contents[0] ?? Buffer.alloc(0);
}

const expectedCache = new Map<string, Buffer>();

/** predict() on the bundle for one row, as the raw bytes serving answers with (cached: the test process is busy). */
function expectedBytes(model: RegisteredModel, row: FeatureRow): Buffer {
  const key = `${model.version}:${rows.indexOf(row)}`;
  const cached = expectedCache.get(key);
  if (cached) return cached;
  const predictions = predict(model.bundle, [row]);
  if (predictions.kind !== "classification") throw new Error("classifier expected");
  const bytes = Buffer.from(
    predictions.probabilities.buffer,
    predictions.probabilities.byteOffset,
    predictions.probabilities.byteLength,
  );
  expectedCache.set(key, bytes);
  return bytes;
}

interface LoadResult {
  answered: number;
  failures: grpc.ServiceError[];
  /** Per worker, the versions it got in order. */
  versions: string[][];
  wrongAnswers: number;
}

/** `workers` concurrent callers, each sending one request after another until `stop()` resolves. */
function load(client: InferenceClient, workers: number, stop: Promise<void>): Promise<LoadResult> {
  let stopped = false;
  void stop.then(() => {
    stopped = true;
  });
  const result: LoadResult = { answered: 0, failures: [], versions: [], wrongAnswers: 0 };
  const worker = async (index: number) => {
    const seen: string[] = [];
    result.versions.push(seen);
    for (let i = index; !stopped; i += workers) {
      const row = rows[i % rows.length] as FeatureRow;
      try {
        const response = await infer(client, rawRequest(row));
        result.answered += 1;
        if (seen.at(-1) !== response.model_version) seen.push(response.model_version);
        const model = response.model_version === String(v1.version) ? v1 : v2;
        if (!probabilityBytes(response).equals(expectedBytes(model, row))) result.wrongAnswers += 1;
      } catch (error) {
        result.failures.push(error as grpc.ServiceError);
      }
    }
  };
  return Promise.all(Array.from({ length: workers }, (_, index) => worker(index))).then(() => result);
}

describe("serving: hot swap and dynamic batching", { timeout: 150_000 }, () => {
  let replicas: ServingProcess[];

  before(async () => {
    await harness.start([{ ...seattleWeatherSpec(), name: SEATTLE }]);
    v1 = await harness.trainAndRegister(seattleWeatherSpec(), seattleWeatherRows(), { seed: 11, outcome: "promoted" });
    v2 = await harness.trainAndRegister(seattleWeatherSpec(), seattleWeatherRows(), {
      seed: 12,
      outcome: "rejected",
      championVersion: v1.version,
    });
    replicas = await Promise.all([harness.startServing(), harness.startServing()]);
  });
  after(() => harness.cleanup());

  it("swaps every replica to a promoted version under 250 concurrent requests with zero failures", async () => {
    const [first, second] = replicas as [ServingProcess, ServingProcess];
    let finish!: () => void;
    const stop = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const running = [load(first.client, 200, stop), load(second.client, 50, stop)];
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await harness.promote(SEATTLE, v2.version);
    for (const replica of replicas) {
      await replica.service.waitForLog(
        (line) => line.event === "model.swapped" && line.modelVersion === v2.version,
        20_000,
      );
      await replica.service.waitForLog(
        (line) => line.event === "model.disposed" && line.modelVersion === v1.version,
        20_000,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    finish();
    const results = await Promise.all(running);

    for (const [index, result] of results.entries()) {
      assert.deepEqual(
        result.failures.map((error) => `${error.code}: ${error.details}`),
        [],
        `replica ${index}: no request fails during the swap`,
      );
      assert.equal(result.wrongAnswers, 0, `replica ${index}: every answer is the answering version's own`);
      assert.ok(result.answered >= 2 * result.versions.length, `replica ${index} answered ${result.answered}`);
      for (const versions of result.versions) {
        assert.deepEqual(versions, [String(v1.version), String(v2.version)], "each caller sees v1, then only v2");
      }
    }
    for (const replica of replicas) {
      const swapped = replica.service.logs.find(
        (line) => line.event === "model.swapped" && line.modelVersion === v2.version,
      );
      assert.ok(swapped && Number(swapped.loadedModels) <= 2, "memory during the swap: old and new model only");
      const disposedAt = replica.service.logs.findIndex(
        (line) => line.event === "model.disposed" && line.modelVersion === v1.version,
      );
      assert.ok(disposedAt > replica.service.logs.indexOf(swapped), "the old model is freed after the swap");
      const metrics = await scrape(replica.metricsPort);
      assert.equal(metricValue(metrics, "gyre_serving_champion_swaps_total", { dataset: SEATTLE }), 1);
      assert.equal(metricValue(metrics, "gyre_serving_loaded_models"), 1);
    }
  });

  it("gives batched requests the same bytes as the same requests one at a time", async () => {
    const batching = await harness.startServing({ SERVING_MAX_QUEUE_DELAY_US: "3000", SERVING_MAX_BATCH_SIZE: "32" });
    const sample = rows.slice(0, 96);
    const concurrent = await Promise.all(sample.map((row) => infer(batching.client, rawRequest(row))));
    const sequential = [];
    for (const row of sample) sequential.push(await infer(batching.client, rawRequest(row)));
    for (const [index, response] of concurrent.entries()) {
      const alone = sequential[index];
      assert.ok(
        alone && probabilityBytes(response).equals(probabilityBytes(alone)),
        `row ${index}: batched == unbatched`,
      );
      assert.ok(
        probabilityBytes(response).equals(expectedBytes(v2, sample[index] as FeatureRow)),
        `row ${index}: == predict()`,
      );
    }
    const metrics = await scrape(batching.metricsPort);
    const labels = { dataset: SEATTLE, model_version: String(v2.version) };
    const batches = metricValue(metrics, "gyre_serving_batch_requests_count", labels);
    const requests = metricValue(metrics, "gyre_serving_batch_requests_sum", labels);
    assert.equal(requests, sample.length * 2);
    assert.ok(
      batches <= sample.length + sample.length / 4,
      `96 concurrent requests coalesced (${batches} model calls for ${requests} requests)`,
    );
    assert.ok(
      metricValue(metrics, "gyre_serving_batch_rows_bucket", { ...labels, le: "1" }) >= sample.length,
      "the sequential ones ran alone",
    );
    assert.ok(metricValue(metrics, "gyre_serving_queue_delay_seconds_count", labels) === requests);
  });
});
