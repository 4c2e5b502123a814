import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { parseDatasetSpec } from "@gyre/spec";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import {
  checkOnnxSignature,
  EXTERNAL_FORMAT,
  gyreFeatureNames,
  identityPreprocessing,
  ONNX_BACKEND,
  type OnnxBundle,
  OnnxSignatureError,
  openOnnx,
  predictAny,
  sha256Hex,
} from "../src/index.ts";

const ROOT = join(import.meta.dirname, "../../..");
const onnxBytes = readFileSync(join(ROOT, "e2e/fixtures/onnx/seattle-weather.onnx"));
const expected = JSON.parse(readFileSync(join(ROOT, "e2e/fixtures/onnx/expected.json"), "utf8")) as {
  sha256: string;
  inputs: Record<string, number[]>;
  probabilities: number[][];
};
const specText = readFileSync(join(ROOT, "examples/seattle-weather.spec.yaml"), "utf8");
const spec = parseDatasetSpec(specText);
/** The spec with one change, for the mismatches. */
type RawSpec = {
  features: { name: string; description?: string }[];
  label: { name: string; type: string; classes?: string[] };
  model: Record<string, unknown>;
  promotion: Record<string, unknown>;
};
const specWith = (change: (raw: RawSpec) => void) => {
  const raw = parseYaml(specText) as RawSpec;
  change(raw);
  return parseDatasetSpec(stringifyYaml(raw));
};

const signatureProblems = async (bytes: Uint8Array, target = spec, preprocessing: "none" | "gyre" = "none") => {
  const error = await checkOnnxSignature(bytes, target, preprocessing).then(
    () => assert.fail("the signature check passed"),
    (thrown: unknown) => thrown,
  );
  assert.ok(error instanceof OnnxSignatureError, String(error));
  return error.problems;
};

describe("external ONNX models", () => {
  test("the PyTorch fixture fits the seattle-weather spec: its inputs in spec order, probabilities out", async () => {
    assert.equal(sha256Hex(onnxBytes), expected.sha256);
    const signature = await checkOnnxSignature(onnxBytes, spec);
    assert.deepEqual(
      signature.inputs.map((input) => `${input.name}/${input.rank}`),
      ["precipitation/2", "temp_max/2", "temp_min/2", "wind/2", "month/2", "temp_max_lag1/2", "precipitation_mean_7/2"],
    );
    assert.deepEqual(signature.output, { name: "probabilities" });
  });

  test("a mismatch is refused naming the input, the output or the shape", async () => {
    const renamed = specWith((raw) => {
      const wind = raw.features[4] as RawSpec["features"][number];
      wind.name = "wind_speed";
      wind.description = undefined;
    });
    assert.deepEqual(await signatureProblems(onnxBytes, renamed), [
      'missing input "wind_speed" (the spec\'s model inputs are precipitation, temp_max, temp_min, wind_speed, month, temp_max_lag1, precipitation_mean_7)',
      'input "wind" is not a model input of the spec (precipitation, temp_max, temp_min, wind_speed, month, temp_max_lag1, precipitation_mean_7)',
    ]);
    const sixClasses = specWith((raw) => {
      raw.label.classes = [...(raw.label.classes ?? []), "hail"];
    });
    assert.deepEqual(await signatureProblems(onnxBytes, sixClasses), [
      'output "probabilities" has shape [batch, 5], expected [N, 6] (the classes drizzle, fog, rain, snow, sun, hail)',
    ]);
    const regression = specWith((raw) => {
      raw.label = { name: "temp_max_next", type: "numeric" };
      raw.model = { ...raw.model, kind: "mlp-regressor" };
      raw.promotion = { metric: "rmse", minImprovement: 0 };
    });
    assert.match(
      (await signatureProblems(onnxBytes, regression)).join("; "),
      /no output "value" \(the model's outputs: probabilities\)/,
    );
    assert.match((await signatureProblems(Buffer.from("not an onnx file"))).join(), /not a model onnxruntime can load/);
  });

  test('preprocessing "gyre": one float32 [N, F] input, F the width of Gyre\'s preprocessing of the spec', async () => {
    const gyreBytes = readFileSync(join(ROOT, "e2e/fixtures/onnx/seattle-weather-gyre.onnx"));
    const seasons = specWith((raw) => {
      raw.features.splice(5, 0, {
        name: "season",
        type: "categorical",
        categories: ["winter", "spring", "summer", "autumn"],
      } as RawSpec["features"][number]);
    });
    assert.deepEqual(gyreFeatureNames(seasons), [
      "precipitation",
      "temp_max",
      "temp_min",
      "wind",
      "season=winter",
      "season=spring",
      "season=summer",
      "season=autumn",
      "month",
      "temp_max_lag1",
      "precipitation_mean_7",
    ]);
    assert.deepEqual(await checkOnnxSignature(gyreBytes, seasons, "gyre"), {
      inputs: [{ name: "features", rank: 2 }],
      output: { name: "probabilities" },
    });
    // the spec without the season makes 7 features, not the model's 11
    assert.deepEqual(await signatureProblems(gyreBytes, spec, "gyre"), [
      "input \"features\" has shape [batch, 11], expected float32 [N, 7] (Gyre's preprocessing of the spec's model inputs makes 7 features: precipitation, temp_max, temp_min, wind, month, temp_max_lag1, precipitation_mean_7)",
    ]);
    // a model with one input per column is not one for "gyre", and the "gyre" model is not one for "none"
    assert.match(
      (await signatureProblems(onnxBytes, spec, "gyre")).join(),
      /preprocessing "gyre" takes one input, float32 \[N, 7\] .*; the model has 7 \(precipitation, temp_max/,
    );
    assert.match(
      (await signatureProblems(gyreBytes, seasons, "none")).join("; "),
      /input "season": the column is categorical; preprocessing "none" takes numbers only \(register with preprocessing "gyre"\)/,
    );
  });

  test("onnxruntime-node answers what PyTorch answered for the fixture's rows, within 1e-5", async () => {
    const preprocessing = identityPreprocessing(spec);
    const signature = await checkOnnxSignature(onnxBytes, spec);
    const bundle = {
      onnx: await openOnnx(onnxBytes, spec.name),
      external: {
        format: EXTERNAL_FORMAT,
        kind: "onnx",
        dataset: spec.name,
        sha256: expected.sha256,
        bytes: onnxBytes.length,
        registeredBy: "test",
        registeredAt: new Date().toISOString(),
        reason: "",
        preprocessing: "none",
        specRevision: 1,
        ...signature,
      },
      modelBytes: onnxBytes.length,
      preprocessing,
    } as unknown as OnnxBundle;
    const count = expected.probabilities.length;
    const rows = Array.from({ length: count }, (_, row) =>
      Object.fromEntries(Object.entries(expected.inputs).map(([name, values]) => [name, values[row]])),
    );
    const predictions = await predictAny(bundle, rows);
    assert.equal(predictions.kind, "classification");
    if (predictions.kind !== "classification") return;
    assert.deepEqual(predictions.classes, ["drizzle", "fog", "rain", "snow", "sun"]);
    const flat = expected.probabilities.flat();
    assert.equal(predictions.probabilities.length, flat.length);
    flat.forEach((value, index) => {
      assert.ok(Math.abs((predictions.probabilities[index] as number) - value) <= 1e-5, `value ${index}`);
    });
    assert.equal(ONNX_BACKEND, "onnxruntime");
    await bundle.onnx.release();
  });
});
