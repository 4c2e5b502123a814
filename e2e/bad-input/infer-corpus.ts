import type { InferInputTensor, ModelInferRequest } from "@gyre/grpc";
import { mulberry32 } from "@gyre/model";

/**
 * A seeded corpus of malformed ModelInfer requests against one served model, with the gRPC status codes each may
 * answer with (never OK, INTERNAL or UNKNOWN).
 */

export type InferCategory =
  | "unknown-model"
  | "bad-version"
  | "wrong-datatype"
  | "shape-mismatch"
  | "bad-shape"
  | "raw-length"
  | "bytes-prefix"
  | "too-large"
  | "missing-input"
  | "duplicate-input"
  | "not-finite"
  | "odd-name"
  | "bad-value";

export interface BadInferCall {
  category: InferCategory;
  request: ModelInferRequest;
  /** Acceptable status codes (grpc.status numbers). */
  codes: readonly number[];
}

/** The model's inputs as ModelMetadata describes them. */
export interface ServedInput {
  name: string;
  datatype: string;
  /** ModelMetadata's role: "computed" inputs may be left out (serving computes them), "required" ones not. */
  role?: string;
}

// grpc.status numbers, spelled out so the corpus has no runtime dependency on grpc-js.
export const STATUS = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  OUT_OF_RANGE: 11,
} as const;
const INVALID = [STATUS.INVALID_ARGUMENT];
const NOT_FOUND_OR_INVALID = [STATUS.NOT_FOUND, STATUS.INVALID_ARGUMENT];

const ODD = ["\ud800", "nul\u0000", "\u202eevil", "😀", "\u200b", "e\u0301", "ｆ", "a".repeat(5000), "../x", "'; drop"];
const BAD_VERSIONS = [
  "abc",
  "-1",
  "0",
  "1.5",
  "99999999999999999999999",
  "../1",
  "1/../2",
  "%2e%2e",
  "1; drop table versions",
  "1'--",
  '"1"',
  "１",
  " 1",
  "1e3",
  "0x1",
  "NaN",
  "Infinity",
  "\u202e1",
  "1\u0000",
];

/** Valid values for one row of each input kind. */
function column(input: ServedInput, rows: number, random: () => number): InferInputTensor {
  const shape = [rows];
  switch (input.datatype) {
    case "BYTES":
      return { name: input.name, datatype: "BYTES", shape, contents: { bytes_contents: categories(input, rows) } };
    case "BOOL":
      return {
        name: input.name,
        datatype: "BOOL",
        shape,
        contents: { bool_contents: Array.from({ length: rows }, () => random() < 0.5) },
      };
    case "INT64":
      return {
        name: input.name,
        datatype: "INT64",
        shape,
        contents: { int64_contents: Array.from({ length: rows }, () => String(1 + Math.floor(random() * 12))) },
      };
    default:
      return {
        name: input.name,
        datatype: "FP32",
        shape,
        contents: { fp32_contents: Array.from({ length: rows }, () => Math.round(random() * 200) / 10) },
      };
  }
}

/** The categorical feature of the mixed weather spec is "season". */
function categories(_input: ServedInput, rows: number): Buffer[] {
  const seasons = ["winter", "spring", "summer", "autumn"];
  return Array.from({ length: rows }, (_, index) => Buffer.from(seasons[index % 4] as string));
}

export function validRequest(model: string, inputs: readonly ServedInput[], rows: number, seed = 1): ModelInferRequest {
  const random = mulberry32(seed);
  return { model_name: model, id: `ok-${seed}`, inputs: inputs.map((input) => column(input, rows, random)) };
}

const rawOf = (tensor: InferInputTensor): Buffer => {
  const contents = tensor.contents ?? {};
  if (tensor.datatype === "FP32") {
    const values = contents.fp32_contents ?? [];
    const buffer = Buffer.alloc(values.length * 4);
    for (const [index, value] of values.entries()) buffer.writeFloatLE(Number(value), index * 4);
    return buffer;
  }
  if (tensor.datatype === "INT64") {
    const values = contents.int64_contents ?? [];
    const buffer = Buffer.alloc(values.length * 8);
    for (const [index, value] of values.entries()) buffer.writeBigInt64LE(BigInt(String(value)), index * 8);
    return buffer;
  }
  if (tensor.datatype === "BOOL") return Buffer.from((contents.bool_contents ?? []).map((value) => (value ? 1 : 0)));
  return Buffer.concat(
    (contents.bytes_contents ?? []).flatMap((value) => {
      const bytes = Buffer.from(value as Uint8Array);
      const prefix = Buffer.alloc(4);
      prefix.writeUInt32LE(bytes.length);
      return [prefix, bytes];
    }),
  );
};

/** Moves every tensor's contents to raw_input_contents, as Triton clients send them. */
export function asRaw(request: ModelInferRequest): ModelInferRequest {
  const inputs = request.inputs ?? [];
  return {
    ...request,
    inputs: inputs.map(({ contents: _contents, ...tensor }) => tensor),
    raw_input_contents: inputs.map(rawOf),
  };
}

export function buildInferCorpus(options: {
  seed: number;
  model: string;
  inputs: readonly ServedInput[];
  maxMessageBytes: number;
  perCategory?: number;
}): BadInferCall[] {
  const random = mulberry32(options.seed);
  const per = options.perCategory ?? 85;
  const { model, inputs } = options;
  const calls: BadInferCall[] = [];
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const base = (rows = 1 + Math.floor(random() * 4)) => validRequest(model, inputs, rows, Math.floor(random() * 1e9));
  const add = (category: InferCategory, request: ModelInferRequest, codes: readonly number[]) =>
    calls.push({ category, request, codes });
  const tensorsOf = (request: ModelInferRequest) => request.inputs as InferInputTensor[];
  const numeric = inputs.filter((input) => input.datatype === "FP32");
  const byName = (request: ModelInferRequest, name: string) =>
    tensorsOf(request).find((tensor) => tensor.name === name) as InferInputTensor;

  for (let i = 0; i < per; i++) {
    const names = [`no-such-model-${i}`, "", ...ODD, "UPPER", "a/b", "x".repeat(300)];
    const name = names[i % names.length] as string;
    add("unknown-model", { ...base(), model_name: name }, NOT_FOUND_OR_INVALID);
  }

  for (let i = 0; i < per; i++) {
    const version = i < BAD_VERSIONS.length ? (BAD_VERSIONS[i] as string) : String(1000 + i);
    add("bad-version", { ...base(), model_version: version }, NOT_FOUND_OR_INVALID);
  }

  const datatypes = ["BYTES", "BOOL", "FOO", "", "fp32", "FP16", "INT8", "UINT64", "FP64", "INT32"];
  for (let i = 0; i < per; i++) {
    const request = base();
    const tensor = pick(tensorsOf(request));
    const datatype = datatypes[i % datatypes.length] as string;
    if (datatype === tensor.datatype) continue;
    // The contents stay as they were: they no longer match the declared datatype (or the datatype is unknown).
    tensor.datatype = datatype;
    if (i % 5 === 0) tensor.contents = { uint_contents: [1, 2, 3] };
    add("wrong-datatype", request, INVALID);
  }

  for (let i = 0; i < per; i++) {
    const request = base(3);
    const tensor = pick(tensorsOf(request));
    const variant = i % 4;
    if (variant === 0) tensor.shape = [4];
    else if (variant === 1) tensor.shape = [2];
    else if (variant === 2) tensor.shape = [3, 2];
    else byName(request, (numeric[i % numeric.length] as ServedInput).name).contents = { fp32_contents: [1, 2] };
    add("shape-mismatch", request, INVALID);
  }

  const shapes: (number | string)[][] = [
    [-1],
    [-3, 1],
    [0],
    [],
    [2 ** 31],
    ["9223372036854775807"],
    ["-9223372036854775808"],
    [1, 1, 1],
    [1, 0],
    [2 ** 20, 2 ** 20],
  ];
  for (let i = 0; i < per; i++) {
    const request = base(1);
    const tensor = pick(tensorsOf(request));
    tensor.shape = shapes[i % shapes.length] as never;
    add("bad-shape", request, [STATUS.INVALID_ARGUMENT, STATUS.RESOURCE_EXHAUSTED]);
  }

  for (let i = 0; i < per; i++) {
    const request = asRaw(base(2));
    const raw = request.raw_input_contents as Buffer[];
    const variant = i % 5;
    const index = Math.floor(random() * raw.length);
    if (variant === 0) raw[index] = Buffer.concat([raw[index] as Buffer, Buffer.from([1, 2, 3])]);
    else if (variant === 1)
      raw[index] = (raw[index] as Buffer).subarray(0, Math.max(0, (raw[index] as Buffer).length - 1));
    else if (variant === 2) raw.pop();
    else if (variant === 3) raw.push(Buffer.alloc(8));
    else
      (request.inputs as InferInputTensor[])[index] = {
        ...tensorsOf(base(2))[index],
        contents: { fp32_contents: [1, 2] },
      } as InferInputTensor;
    add("raw-length", request, INVALID);
  }

  const bytesInput = inputs.find((input) => input.datatype === "BYTES");
  for (let i = 0; bytesInput && i < per; i++) {
    const request = asRaw(base(2));
    const index = inputs.indexOf(bytesInput);
    const prefix = Buffer.alloc(4);
    const variant = i % 5;
    let raw: Buffer;
    if (variant === 0) {
      prefix.writeUInt32LE(0xffffffff);
      raw = Buffer.concat([prefix, Buffer.from("winter")]);
    } else if (variant === 1) raw = Buffer.from([6, 0, 0]);
    else if (variant === 2) {
      prefix.writeUInt32LE(100);
      raw = Buffer.concat([prefix, Buffer.from("summer")]);
    } else if (variant === 3) {
      prefix.writeUInt32LE(2);
      raw = Buffer.concat([prefix, Buffer.from([0xff, 0xfe])]);
    } else raw = Buffer.alloc(0);
    (request.raw_input_contents as Buffer[])[index] = raw;
    add("bytes-prefix", request, INVALID);
  }

  for (let i = 0; i < 20; i++) {
    const request = base(1);
    const size = options.maxMessageBytes + 1024 + i * 4096;
    if (i % 2 === 0) request.id = "x".repeat(size);
    else byName(request, (numeric[0] as ServedInput).name).contents = { fp32_contents: new Array(size / 4).fill(1) };
    add("too-large", request, [STATUS.RESOURCE_EXHAUSTED]);
  }

  for (let i = 0; i < per; i++) {
    const request = base();
    if (i % 10 === 0) request.inputs = [];
    else {
      // leaving out only computed inputs is a raw row, a valid request: at least one required input goes
      const required = inputs.filter((input) => input.role !== "computed").map((input) => input.name);
      const gone = new Set<string>([pick(required), ...Array.from({ length: i % 3 }, () => pick(inputs).name)]);
      request.inputs = tensorsOf(request).filter((tensor) => !gone.has(tensor.name ?? ""));
    }
    add("missing-input", request, INVALID);
  }

  for (let i = 0; i < per; i++) {
    const request = base(2);
    const tensors = tensorsOf(request);
    const copy = structuredClone(pick(tensors));
    if (i % 2 === 1) copy.contents = tensorsOf(base(2)).find((tensor) => tensor.name === copy.name)?.contents ?? {};
    tensors.splice(Math.floor(random() * tensors.length), 0, copy);
    add("duplicate-input", request, INVALID);
  }

  // NaN is a missing value, imputed as training did: not an error
  const notFinite = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  for (let i = 0; i < per; i++) {
    const request = base(2);
    const tensor = byName(request, (numeric[i % numeric.length] as ServedInput).name);
    tensor.contents = { fp32_contents: [1, notFinite[i % 3] as number] };
    add("not-finite", i % 4 === 3 ? asRaw(request) : request, INVALID);
  }

  for (let i = 0; i < per; i++) {
    const request = base();
    const tensor = pick(tensorsOf(request));
    tensor.name = `${pick(ODD)}${i % 2 === 0 ? tensor.name : ""}`;
    add("odd-name", request, INVALID);
  }

  // Values a feature cannot take: an unknown or odd-unicode category, a month out of range, a BOOL feature as text.
  for (let i = 0; i < per; i++) {
    const request = base(1);
    const variant = i % 3;
    if (variant === 0 && bytesInput) {
      byName(request, bytesInput.name).contents = { bytes_contents: [Buffer.from(pick(ODD))] };
    } else if (variant === 1 && bytesInput) {
      byName(request, bytesInput.name).contents = { bytes_contents: [Buffer.from([0xc0, 0xaf])] };
    } else {
      const boolInput = inputs.find((input) => input.datatype === "BOOL");
      if (!boolInput) continue;
      const tensor = byName(request, boolInput.name);
      tensor.datatype = "BYTES";
      tensor.contents = { bytes_contents: [Buffer.from("maybe")] };
    }
    add("bad-value", request, INVALID);
  }
  return calls;
}
