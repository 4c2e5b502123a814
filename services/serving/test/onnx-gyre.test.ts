import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { ModelInferRequest } from "@gyre/grpc";
import { externalArtifactKey, loadOnnxBundle, predictAny, sha256Hex } from "@gyre/model";
import { REPO_ROOT } from "@gyre/service";
import { type DatasetSpec, parseDatasetSpec } from "@gyre/spec";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import {
  expectedGyre,
  fitDifferences,
  GYRE_SEASONS,
  gyreOnnxPath,
  gyreRequestInputs,
} from "../../../e2e/fixtures/onnx/gyre-fixture.ts";
import { seattleWeatherRows, timeSplit } from "../../trainer/test/seattle-weather.ts";
import {
  assertPyTorch as assertTorch,
  infer,
  poll,
  probabilitiesOf,
  ServingHarness,
  type ServingProcess,
} from "./harness.ts";

// An external ONNX model registered with preprocessing "gyre" (the second PyTorch fixture of e2e/fixtures/onnx):
// trained in PyTorch on Gyre's preprocessing of a spec with a categorical input, it gets the preprocessing fitted on
// the training rows stored with it (as the trainer does at registration), and serving applies it before the ONNX
// session: ModelInfer on raw rows (a category as BYTES, missing values as NaN) answers PyTorch's probabilities.

const DATASET = "seattle-seasons";
const SEASONS = GYRE_SEASONS;
const onnxFile = readFileSync(gyreOnnxPath);
const expected = expectedGyre;
const ROWS = expected.probabilities.length;

/** examples/seattle-weather.spec.yaml with a categorical `season` after `wind`. */
function seasonsSpec(): DatasetSpec {
  const raw = parseYaml(readFileSync(join(REPO_ROOT, "examples/seattle-weather.spec.yaml"), "utf8")) as {
    name: string;
    features: Record<string, unknown>[];
  };
  raw.name = DATASET;
  raw.features.splice(5, 0, { name: "season", type: "categorical", categories: SEASONS });
  return parseDatasetSpec(stringifyYaml(raw));
}

const seasonOf = (month: number) => SEASONS[Math.floor((month % 12) / 3)] as string;
/** The rows the feature store would export for the spec: seattle-weather's, with the season. */
const trainingRows = () =>
  timeSplit(seattleWeatherRows().map((row) => ({ ...row, season: seasonOf(row.month as number) }))).trainRows;

function request(id: string, start = 0, count = ROWS): ModelInferRequest {
  return { model_name: DATASET, id, inputs: gyreRequestInputs(start, count) };
}

const assertPyTorch = (probabilities: ArrayLike<number>, start = 0, count = ROWS) =>
  assertTorch(expected.probabilities, probabilities, start, count);

describe("serving: an external ONNX model with Gyre's preprocessing", { timeout: 180_000 }, () => {
  const harness = new ServingHarness();
  const spec = seasonsSpec();
  const artifactKey = externalArtifactKey(DATASET, sha256Hex(onnxFile));
  let version: number;
  let serving: ServingProcess;

  before(async () => {
    assert.equal(sha256Hex(onnxFile), expected.sha256);
    await harness.start([spec]);
    // stored as the registry stores it (signature checked for "gyre"), completed as the trainer completes it: the
    // preprocessing fitted on the training rows
    const { decision } = await harness.registerExternal(spec, onnxFile, "gyre", trainingRows(), null);
    assert.equal(decision.type, "model.promoted", decision.data.reason);
    version = decision.data.version;
    serving = await harness.startServing({});
  });
  after(() => harness.cleanup());

  it("the stored preprocessing is Gyre's fit of the training rows, and the Python fit reproduces it", async () => {
    const bundle = await loadOnnxBundle(harness.store, artifactKey);
    try {
      const stored = bundle.preprocessing;
      assert.equal(stored.features.length, 11);
      assert.deepEqual(
        stored.features.slice(4, 8),
        SEASONS.map((season) => `season=${season}`),
      );
      assert.deepEqual(fitDifferences(stored), []);
      // the trainer's scoring path (predictAny) answers PyTorch's too
      const rows = Array.from({ length: ROWS }, (_, row) =>
        Object.fromEntries(Object.entries(expected.inputs).map(([name, values]) => [name, values[row]])),
      );
      const predictions = await predictAny(bundle, rows);
      assert.equal(predictions.kind, "classification");
      if (predictions.kind === "classification") assertPyTorch(predictions.probabilities);
    } finally {
      await bundle.onnx.release();
    }
  });

  it("ModelInfer on raw rows answers PyTorch's probabilities within 1e-5, alone and batched", async () => {
    const answer = await poll("the ONNX champion answers", 30_000, async () => {
      const response = await infer(serving.client, request("gyre-all"));
      return response.model_version === String(version) ? response : undefined;
    });
    assertPyTorch(probabilitiesOf(answer));
    const labels = answer.outputs.find((output) => output.name === "label")?.contents?.bytes_contents ?? [];
    const argmax = expected.probabilities.map(
      (row) => ["drizzle", "fog", "rain", "snow", "sun"][row.indexOf(Math.max(...row))],
    );
    assert.deepEqual(
      labels.map((label) => Buffer.from(label).toString()),
      argmax,
    );
    // one row per request, all at once: the dynamic batcher joins them into [N, 11] runs
    const answers = await Promise.all(
      Array.from({ length: ROWS }, (_, row) => infer(serving.client, request(`gyre-${row}`, row, 1))),
    );
    answers.forEach((single, row) => {
      assertPyTorch(probabilitiesOf(single), row, 1);
    });
  });
});
