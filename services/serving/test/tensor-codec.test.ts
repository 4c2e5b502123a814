import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { InferTensorContents__Output } from "@gyre/grpc";
import { InferenceInputError } from "../src/errors.ts";
import {
  decodeContents,
  decodeRaw,
  emptyContents,
  halfToFloat,
  joinRawBytes,
  parseShape,
  splitRawBytes,
} from "../src/tensor-codec.ts";

function contents(fields: Partial<InferTensorContents__Output>): InferTensorContents__Output {
  return { ...emptyContents(), ...fields };
}

describe("tensor codec", () => {
  it("reads every numeric datatype from its own contents field", () => {
    const cases: [Parameters<typeof decodeContents>[1], Partial<InferTensorContents__Output>, number[]][] = [
      ["BOOL", { bool_contents: [true, false] }, [1, 0]],
      ["INT8", { int_contents: [-3, 4] }, [-3, 4]],
      ["INT32", { int_contents: [-70000, 5] }, [-70000, 5]],
      ["INT64", { int64_contents: ["-9", "12"] }, [-9, 12]],
      ["UINT16", { uint_contents: [65535, 0] }, [65535, 0]],
      ["UINT64", { uint64_contents: ["7", "8"] }, [7, 8]],
      ["FP32", { fp32_contents: [1.5, -2] }, [1.5, -2]],
      ["FP64", { fp64_contents: [0.1, 2] }, [0.1, 2]],
    ];
    for (const [datatype, fields, expected] of cases) {
      const tensor = decodeContents("x", datatype, [2], 2, contents(fields));
      assert.equal(tensor.kind, "numeric", datatype);
      assert.deepEqual(Array.from(tensor.values as ArrayLike<number>), expected, datatype);
    }
  });

  it("reads every numeric datatype from little-endian raw bytes", () => {
    const raw = (size: number, write: (buffer: Buffer, offset: number, value: number) => void, values: number[]) => {
      const buffer = Buffer.alloc(size * values.length);
      values.forEach((value, index) => {
        write(buffer, index * size, value);
      });
      return buffer;
    };
    const cases: [Parameters<typeof decodeRaw>[1], Buffer, number[]][] = [
      ["BOOL", Buffer.from([1, 0]), [1, 0]],
      ["INT8", raw(1, (b, o, v) => b.writeInt8(v, o), [-5, 5]), [-5, 5]],
      ["UINT8", Buffer.from([200, 1]), [200, 1]],
      ["INT16", raw(2, (b, o, v) => b.writeInt16LE(v, o), [-300, 300]), [-300, 300]],
      ["UINT16", raw(2, (b, o, v) => b.writeUInt16LE(v, o), [60000, 3]), [60000, 3]],
      ["INT32", raw(4, (b, o, v) => b.writeInt32LE(v, o), [-1e6, 1e6]), [-1e6, 1e6]],
      ["UINT32", raw(4, (b, o, v) => b.writeUInt32LE(v, o), [4e9, 2]), [4e9, 2]],
      ["INT64", raw(8, (b, o, v) => b.writeBigInt64LE(BigInt(v), o), [-42, 42]), [-42, 42]],
      ["UINT64", raw(8, (b, o, v) => b.writeBigUInt64LE(BigInt(v), o), [42, 43]), [42, 43]],
      ["FP16", raw(2, (b, o, v) => b.writeUInt16LE(v, o), [0x3c00, 0xc000]), [1, -2]],
      ["FP32", raw(4, (b, o, v) => b.writeFloatLE(v, o), [0.5, -1.25]), [0.5, -1.25]],
      ["FP64", raw(8, (b, o, v) => b.writeDoubleLE(v, o), [0.1, 1e300]), [0.1, 1e300]],
    ];
    for (const [datatype, buffer, expected] of cases) {
      const tensor = decodeRaw("x", datatype, [2], 2, buffer);
      assert.deepEqual(Array.from(tensor.values as ArrayLike<number>), expected, datatype);
    }
  });

  it("converts half-precision bits, subnormals and specials included", () => {
    assert.equal(halfToFloat(0x3555), 0.333251953125);
    assert.equal(halfToFloat(0x0001), 2 ** -24);
    assert.equal(halfToFloat(0x7c00), Number.POSITIVE_INFINITY);
    assert.ok(Number.isNaN(halfToFloat(0x7e00)));
    assert.equal(Object.is(halfToFloat(0x8000), -0), true);
  });

  it("round-trips Triton's length-prefixed BYTES and names a broken prefix", () => {
    const values = [Buffer.from("rain"), Buffer.from(""), Buffer.from("ünïcode")];
    assert.deepEqual(splitRawBytes("x", 3, joinRawBytes(values)), values);
    assert.throws(() => splitRawBytes("x", 1, Buffer.from([5, 0, 0, 0, 65])), /claims 5 bytes, 1 remain/);
    assert.throws(() => splitRawBytes("x", 1, Buffer.from([5, 0])), /inside the length prefix/);
    assert.throws(
      () => splitRawBytes("x", 2, joinRawBytes(values.slice(0, 1))),
      /needs 2 BYTES elements, raw contents hold 1/,
    );
  });

  it("rejects shapes, counts and fields that do not fit, as InferenceInputError", () => {
    const cases: [string, () => unknown, RegExp][] = [
      ["negative dimension", () => parseShape("x", ["-1", "3"]), /not a size/],
      [
        "count mismatch",
        () => decodeContents("x", "FP32", [3], 3, contents({ fp32_contents: [1, 2] })),
        /needs 3 values, fp32_contents holds 2/,
      ],
      [
        "wrong field",
        () => decodeContents("x", "FP32", [1], 1, contents({ fp64_contents: [1] })),
        /FP32 is sent in fp32_contents, but fp64_contents/,
      ],
      [
        "FP16 in contents",
        () => decodeContents("x", "FP16", [1], 1, contents({ fp32_contents: [1] })),
        /raw_input_contents/,
      ],
      [
        "INT8 out of range",
        () => decodeContents("x", "INT8", [1], 1, contents({ int_contents: [300] })),
        /300 at element 0 does not fit INT8/,
      ],
      ["raw length", () => decodeRaw("x", "FP64", [2], 2, Buffer.alloc(12)), /needs 16 raw bytes, got 12/],
      ["raw BOOL of 2", () => decodeRaw("x", "BOOL", [1], 1, Buffer.from([2])), /0 or 1/],
    ];
    for (const [what, decode, message] of cases) {
      assert.throws(
        decode,
        (error: Error) => error instanceof InferenceInputError && message.test(error.message),
        what,
      );
    }
  });
});
