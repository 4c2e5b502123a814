import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import * as grpc from "@grpc/grpc-js";
import { createArtifactStore } from "@gyre/artifacts";
import type { ModelTrained } from "@gyre/contracts";
import {
  type FeatureStoreClient,
  type InferenceClient,
  type InferInputTensor,
  loadProto,
  type ModelInferResponse__Output,
} from "@gyre/grpc";
import { type FeatureRow, loadBundle, predict, selectBackend } from "@gyre/model";
import { REPO_ROOT } from "@gyre/service";
import { parseDatasetSpec } from "@gyre/spec";
import { exportTrainingSet } from "@gyre/trainer";
import { type CsvBatch, type Loop, monthlyBatches, startLoop, unary } from "./harness.ts";

// Training/serving skew, tested end to end: weather.csv (Seattle and New York) streams through the real services,
// a model is trained on the feature store's snapshot, and serving, given only each row's raw columns and event
// time, must compute exactly the snapshot's feature vector and answer exactly what the model answers offline.
// Then December 2015 arrives one day at a time, each day asked for before it is stored: the history comes from
// serving's memory, kept current by features.updated, with no call to the feature store.

const DATASET = "weather";
const LOOP = ["ingestion", "validation", "feature-store", "trainer", "registry", "serving"] as const;
const RAW = ["location", "date", "precipitation", "temp_max", "temp_min", "wind"] as const;
const ROWS_PER_REQUEST = 10;

type Row = Record<string, unknown>;

/** ModelInfer with only the raw columns of `rows` (and their event times), asking for the computed inputs back. */
function rawRequest(rows: readonly Row[]) {
  const inputs: InferInputTensor[] = RAW.map((name) =>
    name === "location" || name === "date"
      ? {
          name,
          datatype: "BYTES",
          shape: [rows.length],
          contents: { bytes_contents: rows.map((row) => Buffer.from(String(row[name]), "utf8")) },
        }
      : {
          name,
          datatype: "FP64",
          shape: [rows.length],
          contents: { fp64_contents: rows.map((row) => Number(row[name])) },
        },
  );
  return { model_name: DATASET, inputs, parameters: { computed_inputs: { bool_param: true } } };
}

interface Answer {
  /** Per row: model input → value serving computed (NaN where missing; a category as text, "" where missing). */
  computed: Record<string, number | string>[];
  probabilities: number[][];
}

function answerOf(response: ModelInferResponse__Output, rows: number, inputs: readonly string[]): Answer {
  const byName = new Map(response.outputs.map((output) => [output.name, output]));
  const computed = Array.from({ length: rows }, (_, row) =>
    Object.fromEntries(
      inputs.map((name) => {
        const contents = byName.get(`input.${name}`)?.contents;
        const text = contents?.bytes_contents[row];
        return [name, text !== undefined ? text.toString("utf8") : (contents?.fp64_contents[row] ?? Number.NaN)];
      }),
    ),
  );
  const probabilities = byName.get("probabilities")?.contents?.fp32_contents ?? [];
  const width = probabilities.length / rows;
  return {
    computed,
    probabilities: Array.from({ length: rows }, (_, row) => probabilities.slice(row * width, (row + 1) * width)),
  };
}

async function servingMetrics(loop: Loop): Promise<string> {
  const port = loop.services.get("serving")?.logs.find((line) => line.event === "service.ops_listening")?.port;
  return (await fetch(`http://127.0.0.1:${String(port)}/metrics`)).text();
}

function counter(text: string, name: string, labels: string): number {
  const line = text.split("\n").find((entry) => entry.startsWith(`${name}{`) && entry.includes(labels));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

async function eventually<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Snapshot or export cells are numbers, text or null; serving's computed values are NaN or "" where missing. */
const same = (served: number | string, stored: unknown) =>
  Object.is(served, stored === null ? (typeof served === "string" ? "" : Number.NaN) : stored);

describe("online features: one definition from training to serving", { timeout: 600_000 }, () => {
  let loop: Loop;
  let inference: InferenceClient;
  let featureStore: FeatureStoreClient;
  let trained: ModelTrained;
  const batches = monthlyBatches("weather.csv");
  const past = batches.filter((batch) => !batch.key.includes("2015-12"));
  const december = (batches.find((batch) => batch.key.includes("2015-12")) as CsvBatch).rows;

  before(async () => {
    // the backend serving runs on: kernels of different backends differ in the last bits of a float32
    await selectBackend(process.env.TFJS_BACKEND);
    loop = await startLoop(LOOP);
    const spec = parseDatasetSpec(readFileSync(join(REPO_ROOT, "examples/weather.spec.yaml"), "utf8"));
    // One model, trained by hand once every month but December 2015 is stored; nothing retrains after it. Beside the
    // example's transforms: the label as a feature (yesterday's weather, which a raw request does not carry) and
    // time windows (a mean over the last 3 days, the maximum temperature of 2 days before).
    await loop.specs.apply({
      ...spec,
      name: DATASET,
      transforms: [
        ...spec.transforms,
        { kind: "lag", name: "weather_lag1", column: "weather", lag: 1 },
        { kind: "rollingMean", name: "wind_mean_3d", column: "wind", window: "3d" },
        { kind: "lag", name: "temp_max_lag_2d", column: "temp_max", lag: "2d" },
      ],
      training: { ...spec.training, minRows: 1_000_000, retrainEveryRows: 0, onDrift: false },
      model: { ...spec.model, epochs: 8 },
    });
    for (const batch of past) await loop.publishArrived(DATASET, batch.key, batch.csv);
    await loop.waitFor("features.updated", past.length, 240_000);

    const { Trainer, FeatureStore } = {
      Trainer: loadProto("trainer/trainer.proto").gyre.trainer.v1.Trainer,
      FeatureStore: loadProto("featurestore/feature_store.proto").gyre.featurestore.v1.FeatureStore,
    };
    const insecure = grpc.credentials.createInsecure();
    const trainer = new Trainer(String(loop.env.TRAINER_GRPC_ADDR), insecure);
    await unary(trainer, "Train", { dataset: DATASET, actor: "e2e-online" });
    trainer.close();
    trained = (await loop.waitFor("model.trained", 1, 240_000))[0]?.data as ModelTrained;
    await loop.waitFor("model.promoted", 1, 120_000);

    featureStore = new FeatureStore(String(loop.env.FEATURE_STORE_GRPC_ADDR), insecure);
    const { GRPCInferenceService } = loadProto("inference/grpc_predict_v2.proto").inference;
    const servingPort = loop.services.get("serving")?.logs.find((line) => line.event === "grpc.listening")?.port;
    inference = new GRPCInferenceService(`127.0.0.1:${String(servingPort)}`, insecure);
    await eventually("serving to load the champion", 60_000, async () => {
      const ready = await unary<{ ready: boolean }>(inference, "ModelReady", { name: DATASET, version: "" });
      return ready.ready ? true : undefined;
    });
  });

  after(async () => {
    inference?.close();
    featureStore?.close();
    await loop?.close();
  });

  it("computes every snapshot row's feature vector from its raw columns and answers what the model answers offline", async () => {
    const snapshot = await exportTrainingSet(
      featureStore,
      { dataset: DATASET, snapshot_id: trained.snapshot.id },
      60_000,
    );
    const rows = [...snapshot.trainRows, ...snapshot.holdoutRows] as Row[];
    assert.ok(rows.length >= 1000, `the snapshot has ${rows.length} rows`);
    const store = createArtifactStore({ ...loop.infra.s3, bucket: loop.bucket });
    const bundle = await loadBundle(store, trained.artifactKey);
    const inputs = bundle.signature.inputs.map((input) => input.name);
    for (const name of ["weather_lag1", "wind_mean_3d", "temp_max_lag_2d"]) assert.ok(inputs.includes(name), name);
    const width = bundle.signature.output.kind === "classification" ? bundle.signature.output.classes.length : 1;

    let compared = 0;
    for (let start = 0; start < rows.length; start += ROWS_PER_REQUEST) {
      const chunk: Row[] = rows.slice(start, start + ROWS_PER_REQUEST);
      const request = rawRequest(chunk);
      const answer = answerOf(await unary(inference, "ModelInfer", request), chunk.length, inputs);
      // offline on the same rows as one batch, as serving ran them (float32 kernels sum in an order that follows the
      // batch's shape, so the same row in another batch may differ in the last bit)
      const offline = predict(bundle, chunk as FeatureRow[]);
      assert.equal(offline.kind, "classification");
      chunk.forEach((row, offset) => {
        for (const name of inputs) {
          const served = answer.computed[offset]?.[name] as number | string;
          const where = `row ${start + offset} (${row.location} ${row.date}) ${name}`;
          assert.ok(same(served, row[name]), `${where}: served ${served}, snapshot ${row[name]}`);
          compared += 1;
        }
        if (offline.kind !== "classification") return;
        const index = start + offset;
        const expected = Array.from(offline.probabilities.subarray(offset * width, (offset + 1) * width));
        assert.deepEqual(
          answer.probabilities[offset],
          expected,
          `row ${index} (${row.location} ${row.date}) probabilities`,
        );
      });
    }
    assert.equal(compared, rows.length * inputs.length);
  });

  it("takes new rows' history from serving's memory, kept current by features.updated, with no feature-store call", async () => {
    const inputs = (
      await loadBundle(createArtifactStore({ ...loop.infra.s3, bucket: loop.bucket }), trained.artifactKey)
    ).signature.inputs.map((input) => input.name);
    const typed = (row: Record<string, string>): Row => ({
      ...row,
      precipitation: Number(row.precipitation),
      temp_max: Number(row.temp_max),
      temp_min: Number(row.temp_min),
      wind: Number(row.wind),
    });
    const days = [...new Set(december.map((row) => row.date))].sort();
    // the first request of each city fetches its latest rows from the feature store; serving then holds them
    const firstDay = december.filter((row) => row.date === days[0]);
    const warm = answerOf(
      await unary(inference, "ModelInfer", rawRequest(firstDay.map(typed))),
      firstDay.length,
      inputs,
    );
    const label = `dataset="${DATASET}"`;
    const before = await servingMetrics(loop);
    const callsBefore = counter(before, "gyre_serving_feature_store_calls_total", label);
    assert.ok(callsBefore >= 2, `the warm-up called the feature store ${callsBefore} times`);

    const served = new Map<string, Record<string, number | string>>();
    let applied = counter(before, "gyre_serving_history_rows_applied_total", label);
    let updates = loop.seen("features.updated").length;
    for (const [at, day] of days.entries()) {
      const rows = december.filter((row) => row.date === day);
      const answer = answerOf(await unary(inference, "ModelInfer", rawRequest(rows.map(typed))), rows.length, inputs);
      for (const [offset, row] of rows.entries()) served.set(`${row.location}/${day}`, answer.computed[offset] ?? {});
      if (at === 0) assert.deepEqual(answer.computed, warm.computed, "memory and feature store give the same history");
      // the day is stored now, and reaches serving through features.updated before the next day is asked for
      const csv = [
        `${RAW.join(",")},weather`,
        ...rows.map((row) => [...RAW.map((name) => row[name]), row.weather].join(",")),
      ];
      await loop.publishArrived(DATASET, `december-${at}`, csv.join("\n"));
      updates += 1;
      await loop.waitFor("features.updated", updates, 60_000);
      applied += rows.length;
      await eventually(`serving to apply ${day}`, 30_000, async () =>
        counter(await servingMetrics(loop), "gyre_serving_history_rows_applied_total", label) >= applied
          ? true
          : undefined,
      );
    }
    const afterwards = await servingMetrics(loop);
    assert.equal(
      counter(afterwards, "gyre_serving_feature_store_calls_total", label),
      callsBefore,
      "a feature-store call on the request path for a new row",
    );
    assert.ok(counter(afterwards, "gyre_serving_history_lookups_total", 'source="memory"') >= december.length);

    // what the feature store now computes for those rows, point in time, is what serving computed before they were stored
    const exported = await exportTrainingSet(featureStore, { dataset: DATASET, holdout_share: 0 }, 60_000);
    const stored = new Map(
      (exported.trainRows as Row[])
        .filter((row) => String(row.date).startsWith("2015-12"))
        .map((row) => [`${row.location}/${String(row.date).slice(0, 10)}`, row]),
    );
    assert.equal(stored.size, december.length);
    for (const [key, computed] of served) {
      const row = stored.get(key) as Row;
      for (const name of inputs) {
        assert.ok(
          same(computed[name] as number | string, row[name]),
          `${key} ${name}: served ${computed[name]}, stored ${row[name]}`,
        );
      }
    }
  });
});
