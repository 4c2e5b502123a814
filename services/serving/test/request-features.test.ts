import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { InferInputTensor__Output, ModelInferRequest__Output } from "@gyre/grpc";
import { type FeatureRow, type ModelSignature, type Preprocessing, transformRows } from "@gyre/model";
import { InferenceInputError } from "../src/errors.ts";
import { featureMatrix } from "../src/feature-matrix.ts";
import { decodeRequestFeatures } from "../src/request-inputs.ts";
import { emptyContents } from "../src/tensor-codec.ts";

const signature: ModelSignature = {
  format: "gyre.signature/v1",
  inputs: [
    { name: "temp", type: "numeric", nullable: false },
    { name: "colour", type: "categorical", nullable: false, categories: ["red", "green", "blue"] },
    { name: "windy", type: "boolean", nullable: false },
    { name: "month", type: "integer", nullable: false },
  ],
  tensorInput: { name: "features", dtype: "float32", shape: [-1, 6], features: [] },
  label: { name: "y", kind: "classification" },
  output: {
    kind: "classification",
    name: "probabilities",
    dtype: "float32",
    shape: [-1, 2],
    classes: ["a", "b"],
    activation: "softmax",
  },
};

const preprocessing: Preprocessing = {
  format: "gyre.preprocessing/v1",
  columns: [
    { name: "temp", type: "numeric", mean: 11.3, std: 7.1 },
    { name: "colour", type: "categorical", categories: ["red", "green", "blue"] },
    { name: "windy", type: "boolean", mean: 0.4, std: 0.49 },
    { name: "month", type: "integer", mean: 6.5, std: 3.45 },
  ],
  features: ["temp", "colour=red", "colour=green", "colour=blue", "windy", "month"],
  label: { name: "y", kind: "classification", classes: ["a", "b"] },
};

function tensor(fields: Partial<InferInputTensor__Output> & { name: string }): InferInputTensor__Output {
  return { datatype: "FP64", shape: ["1"], parameters: {}, contents: null, ...fields };
}

function contents(
  fields: Partial<NonNullable<InferInputTensor__Output["contents"]>>,
): NonNullable<InferInputTensor__Output["contents"]> {
  return { ...emptyContents(), ...fields };
}

function request(inputs: InferInputTensor__Output[], raw: Buffer[] = []): ModelInferRequest__Output {
  return { model_name: "m", model_version: "", id: "", parameters: {}, inputs, outputs: [], raw_input_contents: raw };
}

const rows: FeatureRow[] = [
  { temp: 21.5, colour: "blue", windy: true, month: 7 },
  { temp: -3.25, colour: "red", windy: false, month: 1 },
];

function perFeature(): InferInputTensor__Output[] {
  return [
    tensor({ name: "temp", shape: ["2"], contents: contents({ fp64_contents: [21.5, -3.25] }) }),
    tensor({
      name: "colour",
      datatype: "BYTES",
      shape: ["2", "1"],
      contents: contents({ bytes_contents: [Buffer.from("blue"), Buffer.from("red")] }),
    }),
    tensor({ name: "windy", datatype: "BOOL", shape: ["2"], contents: contents({ bool_contents: [true, false] }) }),
    tensor({ name: "month", datatype: "INT64", shape: ["2"], contents: contents({ int64_contents: ["7", "1"] }) }),
  ];
}

describe("request features", () => {
  it("turns per-feature tensors into the same float32 matrix as transformRows", () => {
    const features = decodeRequestFeatures(request(perFeature()), signature);
    assert.equal(features.rows, 2);
    assert.equal(features.raw, false);
    assert.deepEqual(featureMatrix(preprocessing, features), transformRows(preprocessing, rows));
  });

  it("reads the [N, F] matrix with categories as indices, in contents or raw", () => {
    const values = [21.5, 2, 1, 7, -3.25, 0, 0, 1];
    const viaContents = decodeRequestFeatures(
      request([
        tensor({ name: "INPUT0", datatype: "FP64", shape: ["2", "4"], contents: contents({ fp64_contents: values }) }),
      ]),
      signature,
    );
    assert.deepEqual(featureMatrix(preprocessing, viaContents), transformRows(preprocessing, rows));
    const raw = Buffer.alloc(values.length * 4);
    values.forEach((value, index) => {
      raw.writeFloatLE(value, index * 4);
    });
    const viaRaw = decodeRequestFeatures(
      request([tensor({ name: "x", datatype: "FP32", shape: ["2", "4"] })], [raw]),
      signature,
    );
    assert.equal(viaRaw.raw, true);
    assert.deepEqual(featureMatrix(preprocessing, viaRaw), transformRows(preprocessing, rows));
  });

  it("imputes missing values (NaN, an empty category) as training imputed a null", () => {
    const missing = perFeature();
    missing[0] = tensor({ name: "temp", shape: ["2"], contents: contents({ fp64_contents: [Number.NaN, -3.25] }) });
    missing[1] = tensor({
      name: "colour",
      datatype: "BYTES",
      shape: ["2"],
      contents: contents({ bytes_contents: [Buffer.from(""), Buffer.from("red")] }),
    });
    const features = decodeRequestFeatures(request(missing), signature);
    const withNulls = [{ ...rows[0], temp: null, colour: null }, rows[1] as FeatureRow];
    assert.deepEqual(featureMatrix(preprocessing, features), transformRows(preprocessing, withNulls));
  });

  it("names the problem of each bad request", () => {
    const inputs = perFeature();
    const swap = (name: string, replacement: Partial<InferInputTensor__Output>) =>
      inputs.map((input) => (input.name === name ? { ...input, ...replacement } : input));
    const cases: [string, ModelInferRequest__Output, RegExp][] = [
      [
        "no inputs",
        request([]),
        /no inputs: send one tensor per feature \(temp FP32, colour BYTES, windy BOOL, month INT64\)/,
      ],
      ["missing features", request(inputs.slice(0, 2)), /missing features "windy", "month"/],
      ["twice", request([...inputs, inputs[0] as InferInputTensor__Output]), /"temp" is sent twice/],
      [
        "unknown category",
        request(swap("colour", { contents: contents({ bytes_contents: [Buffer.from("teal"), Buffer.from("red")] }) })),
        /row 0: "teal" is not a category \(red, green, blue\)/,
      ],
      [
        "category as a number",
        request(swap("colour", { datatype: "FP32", contents: contents({ fp32_contents: [1, 2] }) })),
        /categorical feature is BYTES/,
      ],
      [
        "boolean of 2",
        request(swap("windy", { datatype: "INT32", contents: contents({ int_contents: [2, 0] }) })),
        /2 is not a boolean/,
      ],
      [
        "infinity",
        request(swap("temp", { contents: contents({ fp64_contents: [Number.POSITIVE_INFINITY, 1] }) })),
        /Infinity is not a finite number/,
      ],
      ["3-D feature", request(swap("temp", { shape: ["1", "2", "1"] })), /a feature is \[N\] or \[N, 1\]/],
      ["empty batch", request(swap("temp", { shape: ["0"], contents: contents({}) })), /empty batch/],
      [
        "category index out of range",
        request([tensor({ name: "m", shape: ["1", "4"], contents: contents({ fp64_contents: [1, 3, 0, 1] }) })]),
        /3 is not a category index \(0-2/,
      ],
      [
        "matrix as INT32",
        request([
          tensor({
            name: "m",
            datatype: "INT32",
            shape: ["1", "4"],
            contents: contents({ int_contents: [1, 1, 0, 1] }),
          }),
        ]),
        /FP32 \(or FP64\), not INT32/,
      ],
      [
        "raw count",
        request(
          inputs.map((input) => ({ ...input, contents: null })),
          [Buffer.alloc(16)],
        ),
        /raw_input_contents has 1 entries for 4 inputs/,
      ],
    ];
    for (const [what, bad, message] of cases) {
      assert.throws(
        () => decodeRequestFeatures(bad, signature),
        (error: Error) => error instanceof InferenceInputError && message.test(error.message),
        what,
      );
    }
  });
});
