import type { InferInputTensor__Output, ModelInferRequest__Output } from "@gyre/grpc";
import type { ModelSignature } from "@gyre/model";
import { InferenceInputError } from "./errors.ts";
import { decodeContents, decodeRaw, emptyContents, isDatatype, parseShape, type TensorValues } from "./tensor-codec.ts";

type SignatureInput = ModelSignature["inputs"][number];

/** One value per row: numbers for numeric, integer and boolean features (booleans as 0/1), text for categorical. */
export type FeatureColumn = { kind: "numeric"; values: ArrayLike<number> } | { kind: "categorical"; values: string[] };

/** A request's feature values, one column per signature input in signature order. */
export interface RequestFeatures {
  rows: number;
  columns: FeatureColumn[];
  /** Whether the client sent raw_input_contents (it then gets raw_output_contents back, as Triton does). */
  raw: boolean;
  /** For a raw request: the rows serving computed, every spec column (a challenger with other inputs reads them). */
  computedRows?: Record<string, unknown>[];
}

const NUMERIC_DATATYPES = new Set([
  "FP16",
  "FP32",
  "FP64",
  "INT8",
  "INT16",
  "INT32",
  "INT64",
  "UINT8",
  "UINT16",
  "UINT32",
  "UINT64",
]);
const MATRIX_DATATYPES = new Set(["FP32", "FP64"]);

/**
 * The request's inputs in either form the endpoint takes, checked against the model's signature:
 * - one tensor [N, F] (FP32 or FP64) whose columns are the features in signature order (a categorical feature
 *   holds the index of its category in the spec's list);
 * - one tensor per feature, named by the feature: shape [N] or [N, 1]; BYTES for categorical features, BOOL or a
 *   number type for boolean ones, any number type for the others.
 */
export function decodeRequestFeatures(request: ModelInferRequest__Output, signature: ModelSignature): RequestFeatures {
  return featuresOf(decodeInputs(request, signature), signature);
}

/** A request's tensors, decoded and checked for form (datatype, shape, contents) but not yet against a model. */
export interface DecodedInputs {
  tensors: NamedTensor[];
  raw: boolean;
}

export function decodeInputs(request: ModelInferRequest__Output, signature: ModelSignature): DecodedInputs {
  const inputs = request.inputs;
  if (inputs.length === 0) {
    throw new InferenceInputError(`no inputs: send ${describeInputs(signature)}`);
  }
  const raw = request.raw_input_contents.length > 0;
  if (raw) {
    if (inputs.some(hasContents)) {
      const both = inputs.find(hasContents)?.name ?? "";
      throw new InferenceInputError(
        `input "${both}" has contents while raw_input_contents is set: send each tensor in one of them, not both`,
      );
    }
    if (request.raw_input_contents.length !== inputs.length) {
      throw new InferenceInputError(
        `raw_input_contents has ${request.raw_input_contents.length} entries for ${inputs.length} inputs: one per input, in order`,
      );
    }
  }
  const tensors = inputs.map((input, index) =>
    decodeTensor(input, raw ? request.raw_input_contents[index] : undefined),
  );
  return { tensors, raw };
}

/** Whether the tensors are the feature matrix: one tensor that is not named after a feature. */
export function isMatrix(decoded: DecodedInputs, signature: ModelSignature): boolean {
  const [first] = decoded.tensors;
  return decoded.tensors.length === 1 && first !== undefined && !featureNames(signature).has(first.name);
}

/**
 * Whether the request is a raw row for serving to complete: it leaves model inputs out, or carries inputs the model
 * does not read (the event time, the entity key). A request with exactly the model's inputs is taken as it is.
 */
export function isRawRow(decoded: DecodedInputs, signature: ModelSignature): boolean {
  if (isMatrix(decoded, signature)) return false;
  const known = featureNames(signature);
  const sent = new Set(decoded.tensors.map((tensor) => tensor.name));
  return signature.inputs.some((input) => !sent.has(input.name)) || [...sent].some((name) => !known.has(name));
}

/** The model's inputs from tensors that carry every one of them (one per feature, or the matrix). */
export function featuresOf(decoded: DecodedInputs, signature: ModelSignature): RequestFeatures {
  const { tensors, raw } = decoded;
  const [first] = tensors;
  if (first && isMatrix(decoded, signature)) return { ...matrixFeatures(first.name, first.values, signature), raw };
  return { ...perFeature(tensors, signature), raw };
}

/**
 * The model's inputs from row objects (what serving computed for a raw request): numbers, booleans as 0/1, text for
 * categories; a missing value is NaN or "", which the preprocessing imputes as training did.
 */
export function featuresFromRows(
  rows: readonly Readonly<Record<string, unknown>>[],
  signature: ModelSignature,
  raw: boolean,
): RequestFeatures {
  const columns = signature.inputs.map((input): FeatureColumn => {
    if (input.type === "categorical") {
      return { kind: "categorical", values: rows.map((row) => categoryText(row[input.name])) };
    }
    const values = new Float64Array(rows.length);
    rows.forEach((row, index) => {
      const value = row[input.name];
      values[index] = typeof value === "number" ? value : typeof value === "boolean" ? Number(value) : Number.NaN;
    });
    return { kind: "numeric", values };
  });
  return { rows: rows.length, columns, raw };
}

function categoryText(value: unknown): string {
  if (value === null || value === undefined) return "";
  return String(value);
}

const featureNameSets = new WeakMap<ModelSignature, ReadonlySet<string>>();

function featureNames(signature: ModelSignature): ReadonlySet<string> {
  let names = featureNameSets.get(signature);
  if (!names) {
    names = new Set(signature.inputs.map((input) => input.name));
    featureNameSets.set(signature, names);
  }
  return names;
}

export interface NamedTensor {
  name: string;
  values: TensorValues;
}

function hasContents(input: InferInputTensor__Output): boolean {
  const contents = input.contents;
  if (contents === null) return false;
  return Object.values(contents).some((values) => Array.isArray(values) && values.length > 0);
}

function decodeTensor(input: InferInputTensor__Output, raw: Buffer | undefined): NamedTensor {
  const name = input.name;
  if (!isDatatype(input.datatype)) {
    throw new InferenceInputError(`input "${name}": datatype "${input.datatype}" is not a KServe v2 datatype`);
  }
  const { shape, count } = parseShape(name, input.shape);
  if (shape.length === 0 || shape[0] === 0) {
    throw new InferenceInputError(
      `input "${name}": shape [${shape.join(", ")}] is an empty batch: send at least one row`,
    );
  }
  const values =
    raw === undefined
      ? decodeContents(name, input.datatype, shape, count, input.contents ?? emptyContents())
      : decodeRaw(name, input.datatype, shape, count, raw);
  return { name, values };
}

function matrixFeatures(name: string, tensor: TensorValues, signature: ModelSignature): Omit<RequestFeatures, "raw"> {
  const width = signature.inputs.length;
  const [rows = 0, columns] = tensor.shape;
  if (tensor.shape.length !== 2 || columns !== width) {
    throw new InferenceInputError(
      `input "${name}": shape [${tensor.shape.join(", ")}] is neither a feature's name nor the feature matrix [N, ${width}] ` +
        `(${signature.inputs.map((input) => input.name).join(", ")}); send one of ${describeInputs(signature)}`,
    );
  }
  if (tensor.kind !== "numeric" || !MATRIX_DATATYPES.has(tensor.datatype)) {
    throw new InferenceInputError(`input "${name}": the feature matrix is FP32 (or FP64), not ${tensor.datatype}`);
  }
  const values = tensor.values;
  const featureColumns = signature.inputs.map((input, column): FeatureColumn => {
    const numbers = new Float64Array(rows);
    for (let row = 0; row < rows; row++) numbers[row] = values[row * width + column] as number;
    if (input.type !== "categorical") return checkedNumbers(input, numbers, `input "${name}" column ${column}`);
    const categories = input.categories ?? [];
    return {
      kind: "categorical",
      values: Array.from(numbers, (index, row) => {
        if (Number.isNaN(index)) return "";
        const category = Number.isInteger(index) ? categories[index] : undefined;
        if (category === undefined) {
          throw new InferenceInputError(
            `input "${name}" row ${row}, feature "${input.name}": ${index} is not a category index (0-${categories.length - 1} for ${categories.join(", ")})`,
          );
        }
        return category;
      }),
    };
  });
  return { rows, columns: featureColumns };
}

function perFeature(tensors: NamedTensor[], signature: ModelSignature): Omit<RequestFeatures, "raw"> {
  const byName = new Map<string, NamedTensor>();
  const known = featureNames(signature);
  for (const tensor of tensors) {
    if (!known.has(tensor.name)) {
      throw new InferenceInputError(`unknown input "${tensor.name}": the model takes ${describeInputs(signature)}`);
    }
    if (byName.has(tensor.name)) throw new InferenceInputError(`input "${tensor.name}" is sent twice`);
    byName.set(tensor.name, tensor);
  }
  const missing = signature.inputs.filter((input) => !byName.has(input.name)).map((input) => input.name);
  if (missing.length > 0) {
    throw new InferenceInputError(
      `missing feature${missing.length > 1 ? "s" : ""} ${missing.map((m) => `"${m}"`).join(", ")}`,
    );
  }
  let rows: number | undefined;
  let first = "";
  const columns = signature.inputs.map((input): FeatureColumn => {
    const tensor = byName.get(input.name) as NamedTensor;
    const { shape } = tensor.values;
    if (shape.length > 2 || (shape.length === 2 && shape[1] !== 1)) {
      throw new InferenceInputError(`input "${input.name}": shape [${shape.join(", ")}]: a feature is [N] or [N, 1]`);
    }
    const count = shape[0] as number;
    if (rows === undefined) {
      rows = count;
      first = input.name;
    } else if (count !== rows) {
      throw new InferenceInputError(
        `input "${input.name}" has ${count} rows, "${first}" has ${rows}: send the same rows for every feature`,
      );
    }
    return featureColumn(input, tensor.values);
  });
  return { rows: rows ?? 0, columns };
}

function featureColumn(input: SignatureInput, tensor: TensorValues): FeatureColumn {
  const where = `input "${input.name}"`;
  if (input.type === "categorical") {
    if (tensor.kind !== "bytes") {
      throw new InferenceInputError(`${where}: a categorical feature is BYTES (its category), not ${tensor.datatype}`);
    }
    const categories = new Set(input.categories ?? []);
    const values = tensor.values.map((bytes, row) => {
      const category = bytes.toString("utf8");
      if (category !== "" && !categories.has(category)) {
        throw new InferenceInputError(
          `${where} row ${row}: ${JSON.stringify(category)} is not a category (${[...categories].join(", ")})`,
        );
      }
      return category;
    });
    return { kind: "categorical", values };
  }
  const allowed =
    input.type === "boolean"
      ? tensor.datatype === "BOOL" || NUMERIC_DATATYPES.has(tensor.datatype)
      : NUMERIC_DATATYPES.has(tensor.datatype);
  if (tensor.kind !== "numeric" || !allowed) {
    const expected =
      input.type === "boolean" ? "BOOL (or 0/1 in a number type)" : "a number type (FP32, FP64, INT64, ...)";
    throw new InferenceInputError(`${where}: a ${input.type} feature is ${expected}, not ${tensor.datatype}`);
  }
  return checkedNumbers(input, tensor.values, where);
}

function checkedNumbers(input: SignatureInput, values: ArrayLike<number>, where: string): FeatureColumn {
  for (let row = 0; row < values.length; row++) {
    const value = values[row] as number;
    // NaN is a missing value: the preprocessing imputes it as training did
    if (Number.isNaN(value)) continue;
    if (!Number.isFinite(value)) {
      throw new InferenceInputError(`${where} row ${row}, feature "${input.name}": ${value} is not a finite number`);
    }
    if (input.type === "boolean" && value !== 0 && value !== 1) {
      throw new InferenceInputError(`${where} row ${row}, feature "${input.name}": ${value} is not a boolean (0 or 1)`);
    }
  }
  return { kind: "numeric", values };
}

/** How the model wants its inputs, for error messages. */
export function describeInputs(signature: ModelSignature): string {
  const perFeature = signature.inputs.map((input) => `${input.name} ${datatypeOf(input)}`).join(", ");
  return `one tensor per feature (${perFeature}) or one FP32 tensor [N, ${signature.inputs.length}] in that order`;
}

/** The datatype ModelMetadata advertises for a feature. */
export function datatypeOf(input: SignatureInput): "BYTES" | "BOOL" | "INT64" | "FP32" {
  if (input.type === "categorical") return "BYTES";
  if (input.type === "boolean") return "BOOL";
  if (input.type === "integer") return "INT64";
  return "FP32";
}
