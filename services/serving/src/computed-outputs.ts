import type { ModelInferRequest__Output } from "@gyre/grpc";
import type { ModelSignature } from "@gyre/model";
import type { RequestFeatures } from "./request-inputs.ts";
import { type Encoded, labelTensor } from "./response-encoding.ts";

/** The request parameter that asks for the model's inputs as serving computed them, as extra outputs. */
export const COMPUTED_INPUTS_PARAMETER = "computed_inputs";
/** Prefix of those outputs' names: `input.<feature>`. */
export const COMPUTED_INPUT_PREFIX = "input.";

export function wantsComputedInputs(request: ModelInferRequest__Output): boolean {
  return request.parameters?.[COMPUTED_INPUTS_PARAMETER]?.bool_param === true;
}

/**
 * One output per model input, `input.<name>`, with the values the model was given before its preprocessing:
 * FP64 for numbers (NaN where missing, which the preprocessing imputes), BYTES for categories ("" where missing).
 */
export function computedInputOutputs(signature: ModelSignature, features: RequestFeatures): Encoded[] {
  return signature.inputs.map((input, index): Encoded => {
    const name = `${COMPUTED_INPUT_PREFIX}${input.name}`;
    const column = features.columns[index];
    if (column?.kind === "categorical") {
      return labelTensor(
        name,
        column.values.map((value) => Buffer.from(value, "utf8")),
        features.raw,
      );
    }
    const values = Float64Array.from(column?.values ?? []);
    const shape = [values.length];
    if (features.raw) return { tensor: { name, datatype: "FP64", shape }, raw: Buffer.from(values.buffer) };
    return {
      tensor: { name, datatype: "FP64", shape, contents: { fp64_contents: Array.from(values) } },
      raw: Buffer.alloc(0),
    };
  });
}
