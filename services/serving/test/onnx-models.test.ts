import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { ModelInferRequest, ModelMetadataResponse__Output } from "@gyre/grpc";
import { predict } from "@gyre/model";
import { REPO_ROOT } from "@gyre/service";
import { seattleWeatherRows, seattleWeatherSpec } from "../../trainer/test/seattle-weather.ts";
import {
  assertPyTorch as assertTorch,
  infer,
  poll,
  probabilitiesOf,
  type RegisteredModel,
  ServingHarness,
  type ServingProcess,
  unary,
} from "./harness.ts";

// An external ONNX model (the PyTorch fixture of e2e/fixtures/onnx) beside a tfjs one in one serving process:
// shadow, canary, dynamic batching and hot swap treat both alike, and the ONNX answers are PyTorch's.

const SEATTLE = "seattle-weather";
const FIXTURE = join(REPO_ROOT, "e2e/fixtures/onnx");
const onnxFile = readFileSync(join(FIXTURE, "seattle-weather.onnx"));
const expected = JSON.parse(readFileSync(join(FIXTURE, "expected.json"), "utf8")) as {
  inputs: Record<string, number[]>;
  probabilities: number[][];
};
const ROWS = expected.probabilities.length;

const harness = new ServingHarness();
let tfjs: RegisteredModel;
let onnxVersion: number;
let serving: ServingProcess;

/** The fixture's rows from `start`, `count` of them, as one FP32 request. */
function request(id: string, start = 0, count = ROWS): ModelInferRequest {
  return {
    model_name: SEATTLE,
    id,
    inputs: Object.entries(expected.inputs).map(([name, values]) => ({
      name,
      datatype: "FP32",
      shape: [count],
      contents: { fp32_contents: values.slice(start, start + count) },
    })),
  };
}

const assertPyTorch = (probabilities: ArrayLike<number>, start = 0, count = ROWS) =>
  assertTorch(expected.probabilities, probabilities, start, count);

describe("serving: an external ONNX model beside a tfjs one", { timeout: 180_000 }, () => {
  before(async () => {
    const spec = { ...seattleWeatherSpec(), name: SEATTLE };
    await harness.start([spec]);
    tfjs = await harness.trainAndRegister(spec, seattleWeatherRows(), { seed: 31, outcome: "promoted" });
    // the ONNX challenger, stored as the registry and the trainer store it, announced as the registry registers it
    const { decision } = await harness.registerExternal(spec, onnxFile, "none", seattleWeatherRows(), tfjs.version);
    assert.equal(decision.type, "model.rejected", decision.data.reason);
    onnxVersion = decision.data.version;
    serving = await harness.startServing({ SERVING_LOG_SAMPLE_RATE: "1" });
  });
  after(() => harness.cleanup());

  it("shadow: clients get the tfjs champion, the ONNX challenger's mirrored answers are PyTorch's", async () => {
    await harness.routing.set(SEATTLE, { shadow: true, canaryShare: 0 });
    await serving.service.waitForLog(
      (line) => line.event === "model.loaded" && line.role === "challenger" && line.modelVersion === onnxVersion,
    );
    await serving.service.waitForLog((line) => line.event === "routing.changed" && line.shadow === true);
    const answer = await infer(serving.client, request("shadow-all"));
    assert.equal(answer.model_version, String(tfjs.version));
    // one record per row: requestId "shadow-all.<row>"
    const records = await harness.until("the shadow records of the 20 rows", 20_000, () => {
      const found = harness.predictionLogs
        .filter((event) => event.data.role === "shadow" && event.data.modelVersion === onnxVersion)
        .flatMap((event) => event.data.records)
        .filter((entry) => entry.requestId.startsWith("shadow-all."));
      return found.length === ROWS ? found : undefined;
    });
    for (const record of records) {
      const row = Number(record.requestId.split(".")[1]);
      assertPyTorch(record.outputs.probabilities as number[], row, 1);
    }
  });

  it("canary: every request to the ONNX challenger, batched across concurrent requests, answers as PyTorch", async () => {
    await harness.routing.set(SEATTLE, { shadow: false, canaryShare: 1 });
    await serving.service.waitForLog((line) => line.event === "routing.changed" && line.canaryShare === 1);
    // one row per request, all at once: the dynamic batcher joins them into ONNX runs of several rows
    const answers = await Promise.all(
      Array.from({ length: ROWS }, (_, row) => infer(serving.client, request(`canary-${row}`, row, 1))),
    );
    answers.forEach((answer, row) => {
      assert.equal(answer.model_version, String(onnxVersion));
      assertPyTorch(probabilitiesOf(answer), row, 1);
    });
  });

  it("hot swap: promoting the ONNX model makes it the champion, promoting the tfjs one back swaps again", async () => {
    const platformOf = async (version: number) =>
      (
        await unary<ModelMetadataResponse__Output>(serving.client, "ModelMetadata", {
          name: SEATTLE,
          version: String(version),
        })
      ).platform;
    await harness.routing.set(SEATTLE, { shadow: false, canaryShare: 0 });
    await harness.promote(SEATTLE, onnxVersion);
    const onnxAnswer = await poll("the ONNX model answers as champion", 30_000, async () => {
      const answer = await infer(serving.client, request("swap-onnx"));
      return answer.model_version === String(onnxVersion) ? answer : undefined;
    });
    assertPyTorch(probabilitiesOf(onnxAnswer));
    assert.equal(await platformOf(onnxVersion), "onnxruntime_onnx", "ModelMetadata names Triton's ONNX platform");
    await harness.promote(SEATTLE, tfjs.version);
    const tfjsAnswer = await poll("the tfjs model answers as champion again", 30_000, async () => {
      const answer = await infer(serving.client, request("swap-tfjs"));
      return answer.model_version === String(tfjs.version) ? answer : undefined;
    });
    const rows = Array.from({ length: ROWS }, (_, row) =>
      Object.fromEntries(Object.entries(expected.inputs).map(([name, values]) => [name, values[row]])),
    );
    const own = predict(tfjs.bundle, rows);
    assert.equal(own.kind, "classification");
    if (own.kind === "classification") assert.deepEqual(probabilitiesOf(tfjsAnswer), Array.from(own.probabilities));
    assert.equal(await platformOf(tfjs.version), "tensorflowjs_layers");
  });
});
