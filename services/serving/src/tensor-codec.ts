import type { InferTensorContents__Output } from "@gyre/grpc";
import { InferenceInputError } from "./errors.ts";

/** KServe v2 tensor datatypes (the Open Inference Protocol's list). */
export const DATATYPES = [
  "BOOL",
  "UINT8",
  "UINT16",
  "UINT32",
  "UINT64",
  "INT8",
  "INT16",
  "INT32",
  "INT64",
  "FP16",
  "FP32",
  "FP64",
  "BYTES",
] as const;
export type Datatype = (typeof DATATYPES)[number];

/** Bytes per element in raw form; BYTES elements carry their own 4-byte length prefix instead. */
const ELEMENT_BYTES: Record<Exclude<Datatype, "BYTES">, number> = {
  BOOL: 1,
  UINT8: 1,
  UINT16: 2,
  UINT32: 4,
  UINT64: 8,
  INT8: 1,
  INT16: 2,
  INT32: 4,
  INT64: 8,
  FP16: 2,
  FP32: 4,
  FP64: 8,
};

/** The `contents` field each datatype is carried in (FP16 has none: raw only, as in the protocol). */
const CONTENTS_FIELD: Record<Datatype, keyof InferTensorContents__Output | null> = {
  BOOL: "bool_contents",
  UINT8: "uint_contents",
  UINT16: "uint_contents",
  UINT32: "uint_contents",
  UINT64: "uint64_contents",
  INT8: "int_contents",
  INT16: "int_contents",
  INT32: "int_contents",
  INT64: "int64_contents",
  FP16: null,
  FP32: "fp32_contents",
  FP64: "fp64_contents",
  BYTES: "bytes_contents",
};

const CONTENTS_FIELDS = [
  "bool_contents",
  "int_contents",
  "int64_contents",
  "uint_contents",
  "uint64_contents",
  "fp32_contents",
  "fp64_contents",
  "bytes_contents",
] as const satisfies readonly (keyof InferTensorContents__Output)[];

/** A decoded tensor: numbers (booleans as 0/1) or byte strings, with the shape it was sent with. */
export type TensorValues =
  | { kind: "numeric"; datatype: Exclude<Datatype, "BYTES">; shape: number[]; values: ArrayLike<number> }
  | { kind: "bytes"; datatype: "BYTES"; shape: number[]; values: Buffer[] };

/** Contents with every field empty, as proto-loader gives an unset message field's arrays. */
export function emptyContents(): InferTensorContents__Output {
  return Object.fromEntries(CONTENTS_FIELDS.map((field) => [field, []])) as unknown as InferTensorContents__Output;
}

export function isDatatype(value: string): value is Datatype {
  return (DATATYPES as readonly string[]).includes(value);
}

/** Parses a tensor's shape (int64s arrive as strings) and returns its element count. */
export function parseShape(tensor: string, shape: readonly (string | number)[]): { shape: number[]; count: number } {
  const dims = shape.map(Number);
  if (dims.some((dim) => !Number.isSafeInteger(dim) || dim < 0)) {
    throw new InferenceInputError(`input "${tensor}": shape [${shape.join(", ")}] has a dimension that is not a size`);
  }
  return { shape: dims, count: dims.reduce((product, dim) => product * dim, 1) };
}

/** The tensor's values from its `contents`, checked against the datatype and the element count. */
export function decodeContents(
  tensor: string,
  datatype: Datatype,
  shape: number[],
  count: number,
  contents: InferTensorContents__Output,
): TensorValues {
  const field = CONTENTS_FIELD[datatype];
  const filled = CONTENTS_FIELDS.filter((name) => contents[name].length > 0);
  const wrong = filled.find((name) => name !== field);
  if (wrong !== undefined || field === null) {
    const expected = field === null ? "raw_input_contents (it has no contents field)" : field;
    throw new InferenceInputError(
      `input "${tensor}": datatype ${datatype} is sent in ${expected}, but ${wrong ?? "contents"} was given`,
    );
  }
  const values = contents[field];
  if (values.length !== count) {
    throw new InferenceInputError(
      `input "${tensor}": shape [${shape.join(", ")}] needs ${count} values, ${field} holds ${values.length}`,
    );
  }
  if (datatype === "BYTES") return { kind: "bytes", datatype, shape, values: values as Buffer[] };
  if (datatype === "BOOL") {
    return { kind: "numeric", datatype, shape, values: (values as boolean[]).map((value) => (value ? 1 : 0)) };
  }
  const numbers =
    datatype === "INT64" || datatype === "UINT64" ? (values as string[]).map(Number) : (values as number[]);
  checkRange(tensor, datatype, numbers);
  return { kind: "numeric", datatype, shape, values: numbers };
}

/** The tensor's values from its entry in `raw_input_contents`: little-endian, BYTES as 4-byte length + bytes. */
export function decodeRaw(
  tensor: string,
  datatype: Datatype,
  shape: number[],
  count: number,
  raw: Buffer,
): TensorValues {
  if (datatype === "BYTES") return { kind: "bytes", datatype, shape, values: splitRawBytes(tensor, count, raw) };
  const size = ELEMENT_BYTES[datatype];
  if (raw.length !== count * size) {
    throw new InferenceInputError(
      `input "${tensor}": shape [${shape.join(", ")}] of ${datatype} needs ${count * size} raw bytes, got ${raw.length}`,
    );
  }
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) values[i] = readElement(raw, datatype, i * size);
  if (datatype === "BOOL" && values.some((value) => value > 1)) {
    throw new InferenceInputError(`input "${tensor}": BOOL raw bytes must be 0 or 1`);
  }
  return { kind: "numeric", datatype, shape, values };
}

function readElement(raw: Buffer, datatype: Exclude<Datatype, "BYTES">, offset: number): number {
  switch (datatype) {
    case "BOOL":
    case "UINT8":
      return raw.readUInt8(offset);
    case "INT8":
      return raw.readInt8(offset);
    case "UINT16":
      return raw.readUInt16LE(offset);
    case "INT16":
      return raw.readInt16LE(offset);
    case "UINT32":
      return raw.readUInt32LE(offset);
    case "INT32":
      return raw.readInt32LE(offset);
    case "UINT64":
      return Number(raw.readBigUInt64LE(offset));
    case "INT64":
      return Number(raw.readBigInt64LE(offset));
    case "FP16":
      return halfToFloat(raw.readUInt16LE(offset));
    case "FP32":
      return raw.readFloatLE(offset);
    case "FP64":
      return raw.readDoubleLE(offset);
  }
}

/** IEEE 754 half precision bits → number. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** Triton's raw BYTES form: each element is a 4-byte little-endian length followed by that many bytes. */
export function splitRawBytes(tensor: string, count: number, raw: Buffer): Buffer[] {
  const values: Buffer[] = [];
  let offset = 0;
  while (offset < raw.length) {
    if (offset + 4 > raw.length) {
      throw new InferenceInputError(
        `input "${tensor}": raw BYTES end inside the length prefix of element ${values.length}`,
      );
    }
    const length = raw.readUInt32LE(offset);
    offset += 4;
    if (offset + length > raw.length) {
      throw new InferenceInputError(
        `input "${tensor}": raw BYTES element ${values.length} claims ${length} bytes, ${raw.length - offset} remain`,
      );
    }
    values.push(raw.subarray(offset, offset + length));
    offset += length;
  }
  if (values.length !== count) {
    throw new InferenceInputError(
      `input "${tensor}": shape needs ${count} BYTES elements, raw contents hold ${values.length}`,
    );
  }
  return values;
}

/** Joins byte strings in Triton's raw BYTES form. */
export function joinRawBytes(values: readonly Buffer[]): Buffer {
  const size = values.reduce((sum, value) => sum + 4 + value.length, 0);
  const raw = Buffer.allocUnsafe(size);
  let offset = 0;
  for (const value of values) {
    raw.writeUInt32LE(value.length, offset);
    value.copy(raw, offset + 4);
    offset += 4 + value.length;
  }
  return raw;
}

/** Float32 values as little-endian raw bytes. */
export function rawFloat32(values: Float32Array): Buffer {
  const raw = Buffer.allocUnsafe(values.length * 4);
  for (let i = 0; i < values.length; i++) raw.writeFloatLE(values[i] as number, i * 4);
  return raw;
}

const INTEGER_RANGES: Partial<Record<Datatype, [number, number]>> = {
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  UINT8: [0, 255],
  UINT16: [0, 65535],
};

function checkRange(tensor: string, datatype: Datatype, values: ArrayLike<number>): void {
  const range = INTEGER_RANGES[datatype];
  if (!range) return;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    if (value < range[0] || value > range[1]) {
      throw new InferenceInputError(`input "${tensor}": ${value} at element ${i} does not fit ${datatype}`);
    }
  }
}
