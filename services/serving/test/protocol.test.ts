import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import type {
  InferInputTensor,
  ModelInferRequest,
  ModelInferResponse__Output,
  ModelMetadataResponse__Output,
} from "@gyre/grpc";
import { type FeatureRow, predict } from "@gyre/model";
import { protoPath as healthProtoPath } from "grpc-health-check";
import { seattleWeatherRows, seattleWeatherSpec } from "../../trainer/test/seattle-weather.ts";
import { joinRawBytes } from "../src/tensor-codec.ts";
import {
  infer,
  metricValue,
  mixedRows,
  mixedSpec,
  type RegisteredModel,
  ServingHarness,
  type ServingProcess,
  scrape,
  unary,
} from "./harness.ts";

const SEATTLE = "seattle-weather";
const MIXED = "weather-mixed";
const MAX_MESSAGE_BYTES = 256 * 1024;

const harness = new ServingHarness();
let v1: RegisteredModel;
let v2: RegisteredModel;
let mixed: RegisteredModel;
let serving: ServingProcess;

/** Rows with every value present (no first-row lags), as a client would send them. */
const seattleRows = seattleWeatherRows().slice(200, 208);
const mixedSample = mixedRows().slice(500, 506);
const seattleInputs = [
  "precipitation",
  "temp_max",
  "temp_min",
  "wind",
  "month",
  "temp_max_lag1",
  "precipitation_mean_7",
];

function fp64Tensor(name: string, rows: readonly FeatureRow[]): InferInputTensor {
  return {
    name,
    datatype: "FP64",
    shape: [rows.length],
    contents: { fp64_contents: rows.map((row) => row[name] as number) },
  };
}

function perFeatureRequest(rows: readonly FeatureRow[], extra: Partial<ModelInferRequest> = {}): ModelInferRequest {
  return {
    model_name: SEATTLE,
    id: "req-1",
    inputs: seattleInputs.map((name) =>
      name === "month"
        ? {
            name,
            datatype: "INT64",
            shape: [rows.length, 1],
            contents: { int64_contents: rows.map((row) => String(row.month)) },
          }
        : fp64Tensor(name, rows),
    ),
    ...extra,
  };
}

function matrix(rows: readonly FeatureRow[], names: readonly string[]): number[] {
  return rows.flatMap((row) => names.map((name) => Math.fround(row[name] as number)));
}

function float32Row(row: FeatureRow, names: readonly string[]): FeatureRow {
  return { ...row, ...Object.fromEntries(names.map((name) => [name, Math.fround(row[name] as number)])) };
}

function probabilitiesOf(response: ModelInferResponse__Output): number[] {
  const index = response.outputs.findIndex((output) => output.name === "probabilities");
  const raw = response.raw_output_contents[index];
  if (raw && raw.length > 0) return Array.from({ length: raw.length / 4 }, (_, i) => raw.readFloatLE(i * 4));
  return response.outputs[index]?.contents?.fp32_contents ?? [];
}

function labelsOf(response: ModelInferResponse__Output): string[] {
  const index = response.outputs.findIndex((output) => output.name === "label");
  const raw = response.raw_output_contents[index];
  if (raw && raw.length > 0) {
    const labels: string[] = [];
    for (let offset = 0; offset < raw.length; ) {
      const length = raw.readUInt32LE(offset);
      labels.push(raw.subarray(offset + 4, offset + 4 + length).toString("utf8"));
      offset += 4 + length;
    }
    return labels;
  }
  return (response.outputs[index]?.contents?.bytes_contents ?? []).map((bytes) => bytes.toString("utf8"));
}

function expectedLabels(probabilities: ArrayLike<number>, classes: readonly string[]): string[] {
  const labels: string[] = [];
  for (let row = 0; row < probabilities.length / classes.length; row++) {
    const slice = Array.from(probabilities).slice(row * classes.length, (row + 1) * classes.length);
    labels.push(classes[slice.indexOf(Math.max(...slice))] as string);
  }
  return labels;
}

function expectedProbabilities(model: RegisteredModel, rows: readonly FeatureRow[]): number[] {
  const predictions = predict(model.bundle, rows);
  assert.equal(predictions.kind, "classification");
  return Array.from(predictions.kind === "classification" ? predictions.probabilities : []);
}

async function rejects(request: ModelInferRequest, code: grpc.status, message: RegExp): Promise<void> {
  await assert.rejects(infer(serving.client, request), (error: grpc.ServiceError) => {
    assert.equal(error.code, code, `expected ${grpc.status[code]}, got ${grpc.status[error.code]}: ${error.details}`);
    assert.match(error.details, message);
    return true;
  });
}

describe("serving: KServe v2 protocol", { timeout: 120_000 }, () => {
  before(async () => {
    await harness.start([{ ...seattleWeatherSpec(), name: SEATTLE }, mixedSpec(MIXED)]);
    v1 = await harness.trainAndRegister(seattleWeatherSpec(), seattleWeatherRows(), { seed: 1, outcome: "promoted" });
    v2 = await harness.trainAndRegister(seattleWeatherSpec(), seattleWeatherRows(), {
      seed: 2,
      outcome: "rejected",
      championVersion: v1.version,
    });
    mixed = await harness.trainAndRegister(mixedSpec(MIXED), mixedRows(), { seed: 3, outcome: "promoted" });
    serving = await harness.startServing({ SERVING_MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES) });
  });
  after(() => harness.cleanup());

  it("answers ServerLive, ServerReady, ServerMetadata, ModelReady and per-model grpc.health.v1", async () => {
    assert.deepEqual(await unary(serving.client, "ServerLive", {}), { live: true });
    assert.deepEqual(await unary(serving.client, "ServerReady", {}), { ready: true });
    const metadata = await unary<{ name: string }>(serving.client, "ServerMetadata", {});
    assert.equal(metadata.name, "gyre-serving");
    assert.deepEqual(await unary(serving.client, "ModelReady", { name: SEATTLE, version: "" }), { ready: true });
    assert.deepEqual(await unary(serving.client, "ModelReady", { name: SEATTLE, version: String(v1.version) }), {
      ready: true,
    });
    assert.deepEqual(await unary(serving.client, "ModelReady", { name: "no-such-model", version: "" }), {
      ready: false,
    });

    const health = grpc.loadPackageDefinition(protoLoader.loadSync(healthProtoPath, { enums: String })) as unknown as {
      grpc: { health: { v1: { Health: new (address: string, credentials: grpc.ChannelCredentials) => grpc.Client } } };
    };
    const healthClient = new health.grpc.health.v1.Health(
      `127.0.0.1:${serving.port}`,
      grpc.credentials.createInsecure(),
    );
    harness.clients.push(healthClient);
    const check = (service: string) =>
      new Promise<{ status: string }>((resolve, reject) =>
        (
          healthClient as unknown as {
            Check: (r: unknown, cb: (e: Error | null, r: { status: string }) => void) => void;
          }
        ).Check({ service }, (error, response) => (error ? reject(error) : resolve(response))),
      );
    assert.equal((await check(SEATTLE)).status, "SERVING");
    assert.equal((await check("inference.GRPCInferenceService")).status, "SERVING");
  });

  it("describes a model's inputs and outputs from its signature in ModelMetadata", async () => {
    const metadata = await unary<ModelMetadataResponse__Output>(serving.client, "ModelMetadata", {
      name: MIXED,
      version: "",
    });
    assert.equal(metadata.name, MIXED);
    assert.deepEqual(metadata.versions, [String(mixed.version)]);
    assert.deepEqual(
      metadata.inputs.map((input) => [input.name, input.datatype, input.shape]),
      [...seattleInputs.slice(0, 4), "season", "wet", "month", "temp_max_lag1", "precipitation_mean_7"].map((name) => [
        name,
        name === "season" ? "BYTES" : name === "wet" ? "BOOL" : name === "month" ? "INT64" : "FP32",
        ["-1"],
      ]),
    );
    assert.deepEqual(
      metadata.outputs.map((output) => [output.name, output.datatype, output.shape]),
      [
        ["probabilities", "FP32", ["-1", "5"]],
        ["label", "BYTES", ["-1"]],
      ],
    );
    await assert.rejects(unary(serving.client, "ModelMetadata", { name: "nope", version: "" }), {
      code: grpc.status.NOT_FOUND,
    });
  });

  it("gives the probabilities of predict() on the bundle, bit for bit, for one FP64/INT64 tensor per feature", async () => {
    const response = await infer(serving.client, perFeatureRequest(seattleRows));
    assert.equal(response.model_name, SEATTLE);
    assert.equal(response.model_version, String(v1.version));
    assert.equal(response.id, "req-1");
    const probabilities = probabilitiesOf(response);
    assert.deepEqual(probabilities, expectedProbabilities(v1, seattleRows));
    assert.deepEqual(labelsOf(response), expectedLabels(probabilities, ["drizzle", "fog", "rain", "snow", "sun"]));
    const shape = response.outputs.find((output) => output.name === "probabilities")?.shape;
    assert.deepEqual(shape, [String(seattleRows.length), "5"]);
    const classes = response.outputs.find((output) => output.name === "probabilities")?.parameters.classes
      ?.string_param;
    assert.deepEqual(JSON.parse(classes ?? "null"), ["drizzle", "fog", "rain", "snow", "sun"]);
  });

  it("takes the FP32 feature matrix [N, F] in contents and in raw_input_contents, answering raw for raw", async () => {
    const values = matrix(seattleRows, seattleInputs);
    const expected = expectedProbabilities(
      v1,
      seattleRows.map((row) => float32Row(row, seattleInputs)),
    );
    const shape = [seattleRows.length, seattleInputs.length];
    const viaContents = await infer(serving.client, {
      model_name: SEATTLE,
      inputs: [{ name: "input", datatype: "FP32", shape, contents: { fp32_contents: values } }],
    });
    assert.deepEqual(probabilitiesOf(viaContents), expected);
    assert.equal(viaContents.raw_output_contents.length, 0);

    const raw = Buffer.alloc(values.length * 4);
    values.forEach((value, index) => {
      raw.writeFloatLE(value, index * 4);
    });
    const viaRaw = await infer(serving.client, {
      model_name: SEATTLE,
      id: "raw",
      inputs: [{ name: "INPUT0", datatype: "FP32", shape }],
      raw_input_contents: [raw],
    });
    assert.equal(viaRaw.raw_output_contents.length, 2);
    assert.equal(viaRaw.outputs[0]?.contents, null);
    assert.deepEqual(probabilitiesOf(viaRaw), expected);
    assert.deepEqual(labelsOf(viaRaw), labelsOf(viaContents));
  });

  it("takes BYTES categories and BOOL flags per feature (contents and raw) and category indices in the matrix", async () => {
    const rows = mixedSample;
    const expected = expectedProbabilities(mixed, rows);
    const names = mixed.bundle.signature.inputs.map((input) => input.name);
    const tensor = (name: string): InferInputTensor => {
      if (name === "season")
        return {
          name,
          datatype: "BYTES",
          shape: [rows.length],
          contents: { bytes_contents: rows.map((row) => Buffer.from(row.season as string)) },
        };
      if (name === "wet")
        return {
          name,
          datatype: "BOOL",
          shape: [rows.length],
          contents: { bool_contents: rows.map((row) => row.wet as boolean) },
        };
      return fp64Tensor(name, rows);
    };
    const viaContents = await infer(serving.client, { model_name: MIXED, inputs: names.map(tensor) });
    assert.deepEqual(probabilitiesOf(viaContents), expected);

    const rawOf = (name: string): Buffer => {
      if (name === "season") return joinRawBytes(rows.map((row) => Buffer.from(row.season as string)));
      if (name === "wet") return Buffer.from(rows.map((row) => (row.wet ? 1 : 0)));
      const buffer = Buffer.alloc(rows.length * 8);
      rows.forEach((row, index) => {
        buffer.writeDoubleLE(row[name] as number, index * 8);
      });
      return buffer;
    };
    const viaRaw = await infer(serving.client, {
      model_name: MIXED,
      inputs: names.map((name) => ({ ...tensor(name), contents: null })),
      raw_input_contents: names.map(rawOf),
    });
    assert.deepEqual(probabilitiesOf(viaRaw), expected);

    const categories = ["winter", "spring", "summer", "autumn"];
    const values = rows.flatMap((row) =>
      names.map((name) =>
        name === "season"
          ? categories.indexOf(row.season as string)
          : name === "wet"
            ? row.wet
              ? 1
              : 0
            : Math.fround(row[name] as number),
      ),
    );
    const viaMatrix = await infer(serving.client, {
      model_name: MIXED,
      inputs: [
        { name: "features", datatype: "FP32", shape: [rows.length, names.length], contents: { fp32_contents: values } },
      ],
    });
    assert.deepEqual(
      probabilitiesOf(viaMatrix),
      expectedProbabilities(
        mixed,
        rows.map((row) =>
          float32Row(
            row,
            names.filter((n) => n !== "season" && n !== "wet"),
          ),
        ),
      ),
    );
  });

  it("answers only the outputs asked for", async () => {
    const response = await infer(
      serving.client,
      perFeatureRequest(seattleRows.slice(0, 2), { outputs: [{ name: "label" }] }),
    );
    assert.deepEqual(
      response.outputs.map((output) => output.name),
      ["label"],
    );
    assert.equal(labelsOf(response).length, 2);
  });

  it("respects the deadline while a pinned version loads, then serves that version when asked again", async () => {
    await assert.rejects(
      infer(serving.client, perFeatureRequest(seattleRows, { model_version: String(v2.version) }), {
        deadline: Date.now() + 5,
      }),
      { code: grpc.status.DEADLINE_EXCEEDED },
    );
    const pinned = await infer(serving.client, perFeatureRequest(seattleRows, { model_version: String(v2.version) }));
    assert.equal(pinned.model_version, String(v2.version));
    assert.deepEqual(probabilitiesOf(pinned), expectedProbabilities(v2, seattleRows));
    assert.notDeepEqual(probabilitiesOf(pinned), expectedProbabilities(v1, seattleRows));
    const champion = await infer(serving.client, perFeatureRequest(seattleRows));
    assert.equal(champion.model_version, String(v1.version));
    const explicit = await infer(serving.client, perFeatureRequest(seattleRows, { model_version: String(v1.version) }));
    assert.equal(explicit.model_version, String(v1.version));
    await rejects(perFeatureRequest(seattleRows, { model_version: "99" }), grpc.status.NOT_FOUND, /has no version 99/);
    await rejects(
      perFeatureRequest(seattleRows, { model_version: "latest" }),
      grpc.status.NOT_FOUND,
      /no version "latest"/,
    );
  });

  it("answers each bad input with its status and a message naming the problem, and stays up", async () => {
    const good = perFeatureRequest(seattleRows.slice(0, 2));
    const inputs = good.inputs ?? [];
    const replace = (name: string, tensor: Partial<InferInputTensor>): ModelInferRequest => ({
      ...good,
      inputs: inputs.map((input) => (input.name === name ? { ...input, ...tensor } : input)),
    });
    const cases: [string, ModelInferRequest, grpc.status, RegExp][] = [
      ["unknown model", { ...good, model_name: "no-such-model" }, grpc.status.NOT_FOUND, /no-such-model/],
      [
        "wrong datatype",
        replace("wind", { datatype: "BYTES", contents: { bytes_contents: [Buffer.from("1"), Buffer.from("2")] } }),
        grpc.status.INVALID_ARGUMENT,
        /"wind".*number type/,
      ],
      [
        "unknown datatype",
        replace("wind", { datatype: "FLOAT64" }),
        grpc.status.INVALID_ARGUMENT,
        /"FLOAT64" is not a KServe v2 datatype/,
      ],
      [
        "values in the wrong contents field",
        replace("wind", { contents: { fp32_contents: [1, 2] } }),
        grpc.status.INVALID_ARGUMENT,
        /FP64 is sent in fp64_contents/,
      ],
      ["shape and values disagree", replace("wind", { shape: [3] }), grpc.status.INVALID_ARGUMENT, /needs 3 values/],
      [
        "rows differ between features",
        replace("wind", { shape: [1], contents: { fp64_contents: [1] } }),
        grpc.status.INVALID_ARGUMENT,
        /has 1 rows/,
      ],
      [
        "matrix of the wrong width",
        {
          model_name: SEATTLE,
          inputs: [{ name: "input", datatype: "FP32", shape: [1, 6], contents: { fp32_contents: [1, 2, 3, 4, 5, 6] } }],
        },
        grpc.status.INVALID_ARGUMENT,
        /\[N, 7\]/,
      ],
      [
        "infinity",
        replace("temp_max", { contents: { fp64_contents: [Number.POSITIVE_INFINITY, 10] } }),
        grpc.status.INVALID_ARGUMENT,
        /row 0, feature "temp_max": Infinity is not a finite number/,
      ],
      [
        "missing feature",
        { ...good, inputs: inputs.filter((input) => input.name !== "wind") },
        grpc.status.INVALID_ARGUMENT,
        /missing feature "wind"/,
      ],
      [
        "unknown input",
        {
          ...good,
          inputs: [...inputs, { name: "humidity", datatype: "FP32", shape: [2], contents: { fp32_contents: [1, 2] } }],
        },
        grpc.status.INVALID_ARGUMENT,
        /unknown input "humidity"/,
      ],
      [
        "unknown category",
        {
          model_name: MIXED,
          inputs: mixed.bundle.signature.inputs.map((input) =>
            input.name === "season"
              ? {
                  name: "season",
                  datatype: "BYTES",
                  shape: [1],
                  contents: { bytes_contents: [Buffer.from("monsoon")] },
                }
              : input.name === "wet"
                ? { name: "wet", datatype: "BOOL", shape: [1], contents: { bool_contents: [true] } }
                : { name: input.name, datatype: "FP32", shape: [1], contents: { fp32_contents: [3] } },
          ),
        },
        grpc.status.INVALID_ARGUMENT,
        /"monsoon" is not a category/,
      ],
      [
        "empty batch",
        { model_name: SEATTLE, inputs: [{ name: "input", datatype: "FP32", shape: [0, 7], contents: {} }] },
        grpc.status.INVALID_ARGUMENT,
        /empty batch/,
      ],
      ["no inputs", { model_name: SEATTLE, inputs: [] }, grpc.status.INVALID_ARGUMENT, /no inputs/],
      [
        "both contents and raw_input_contents",
        { ...good, raw_input_contents: inputs.map(() => Buffer.alloc(16)) },
        grpc.status.INVALID_ARGUMENT,
        /not both/,
      ],
      [
        "raw bytes of the wrong length",
        {
          model_name: SEATTLE,
          inputs: [{ name: "input", datatype: "FP32", shape: [1, 7] }],
          raw_input_contents: [Buffer.alloc(20)],
        },
        grpc.status.INVALID_ARGUMENT,
        /needs 28 raw bytes, got 20/,
      ],
      [
        "unknown output",
        { ...good, outputs: [{ name: "logits" }] },
        grpc.status.INVALID_ARGUMENT,
        /unknown output "logits"/,
      ],
      [
        "oversized request",
        {
          model_name: SEATTLE,
          inputs: [{ name: "input", datatype: "FP32", shape: [20_000, 7] }],
          raw_input_contents: [Buffer.alloc(20_000 * 7 * 4)],
        },
        grpc.status.RESOURCE_EXHAUSTED,
        /larger than max/i,
      ],
    ];
    for (const [what, request, code, message] of cases) {
      await assert.rejects(infer(serving.client, request), (error: grpc.ServiceError) => {
        assert.equal(
          error.code,
          code,
          `${what}: expected ${grpc.status[code]}, got ${grpc.status[error.code]}: ${error.details}`,
        );
        assert.match(error.details, message, what);
        return true;
      });
    }
    const after = await infer(serving.client, good);
    assert.equal(probabilitiesOf(after).length, 10);
    const metrics = await scrape(serving.metricsPort);
    assert.ok(metricValue(metrics, "gyre_serving_errors_total", { grpc_code: "INVALID_ARGUMENT" }) >= 14);
    assert.ok(
      metricValue(metrics, "gyre_serving_request_duration_seconds_count", {
        dataset: SEATTLE,
        model_version: String(v1.version),
      }) > 0,
    );
    assert.equal(serving.service.process.exitCode, null);
  });
});
