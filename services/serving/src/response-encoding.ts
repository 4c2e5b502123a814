import type { InferOutputTensor, InferRequestedOutputTensor__Output, ModelInferResponse } from "@gyre/grpc";
import type { ModelSignature } from "@gyre/model";
import { InferenceInputError } from "./errors.ts";
import type { ModelOutput } from "./model-runner.ts";
import { argmax } from "./prediction-log.ts";
import { joinRawBytes, rawFloat32 } from "./tensor-codec.ts";

/** The output tensors a model gives: classifiers `probabilities` [N, C] and `label` [N]; regressors `value` [N]. */
export function outputNames(signature: ModelSignature): string[] {
  return signature.output.kind === "classification" ? ["probabilities", "label"] : ["value"];
}

/** The requested outputs (all when none is named), checked before the model runs. */
export function requestedOutputs(
  signature: ModelSignature,
  requested: readonly InferRequestedOutputTensor__Output[],
): string[] {
  const available = outputNames(signature);
  if (requested.length === 0) return available;
  const names = requested.map((output) => output.name);
  const unknown = names.find((name) => !available.includes(name));
  if (unknown !== undefined) {
    throw new InferenceInputError(`unknown output "${unknown}": the model gives ${available.join(", ")}`);
  }
  return [...new Set(names)];
}

export interface Encoded {
  tensor: InferOutputTensor;
  raw: Buffer;
}

/**
 * The ModelInfer answer. Values go in `contents`, or in `raw_output_contents` (FP32 little-endian, BYTES
 * length-prefixed) when the client sent raw inputs, as Triton answers. The class names are the `classes` parameter of
 * `probabilities` (a JSON array, in column order).
 */
export function encodeResponse(options: {
  modelName: string;
  modelVersion: string;
  id: string;
  rows: number;
  output: ModelOutput;
  outputs: readonly string[];
  raw: boolean;
  /** More outputs after the model's (the computed inputs a client asked for). */
  extra?: readonly Encoded[];
}): ModelInferResponse {
  const { output, rows } = options;
  const encoded = options.outputs.map((name): Encoded => {
    if (output.kind === "regression") return floatTensor(name, [rows], output.values, options.raw);
    if (name === "probabilities") {
      const tensor = floatTensor(name, [rows, output.classes.length], output.probabilities, options.raw);
      tensor.tensor.parameters = { classes: { string_param: JSON.stringify(output.classes) } };
      return tensor;
    }
    return labelTensor(name, labels(output, rows), options.raw);
  });
  encoded.push(...(options.extra ?? []));
  return {
    model_name: options.modelName,
    model_version: options.modelVersion,
    id: options.id,
    outputs: encoded.map((entry) => entry.tensor),
    raw_output_contents: options.raw ? encoded.map((entry) => entry.raw) : [],
  };
}

function floatTensor(name: string, shape: number[], values: Float32Array, raw: boolean): Encoded {
  if (raw) return { tensor: { name, datatype: "FP32", shape }, raw: rawFloat32(values) };
  return {
    tensor: { name, datatype: "FP32", shape, contents: { fp32_contents: Array.from(values) } },
    raw: Buffer.alloc(0),
  };
}

export function labelTensor(name: string, values: Buffer[], raw: boolean): Encoded {
  if (raw) return { tensor: { name, datatype: "BYTES", shape: [values.length] }, raw: joinRawBytes(values) };
  return {
    tensor: { name, datatype: "BYTES", shape: [values.length], contents: { bytes_contents: values } },
    raw: Buffer.alloc(0),
  };
}

const labelBytes = new Map<string, Buffer>();

/** Each row's most probable class (the first on ties). */
function labels(output: Extract<ModelOutput, { kind: "classification" }>, rows: number): Buffer[] {
  const width = output.classes.length;
  const result: Buffer[] = [];
  for (let row = 0; row < rows; row++) {
    const name = output.classes[argmax(output.probabilities.subarray(row * width, (row + 1) * width))] ?? "";
    let bytes = labelBytes.get(name);
    if (!bytes) {
      bytes = Buffer.from(name, "utf8");
      if (labelBytes.size < 10_000) labelBytes.set(name, bytes);
    }
    result.push(bytes);
  }
  return result;
}
