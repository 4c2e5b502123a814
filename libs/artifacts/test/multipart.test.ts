import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { test } from "node:test";
import { partsOf } from "../src/multipart.ts";

async function partSizes(body: Buffer | Readable, partSize: number): Promise<number[]> {
  const sizes: number[] = [];
  for await (const part of partsOf(body, partSize)) sizes.push(part.length);
  return sizes;
}

test("a body is cut into parts of exactly the part size, the last one shorter", async () => {
  const body = Buffer.from(Array.from({ length: 25 }, (_, i) => i));
  const chunked = (sizes: number[]) => {
    const chunks: Buffer[] = [];
    let at = 0;
    for (const size of sizes) {
      chunks.push(body.subarray(at, at + size));
      at += size;
    }
    return Readable.from(chunks);
  };
  assert.deepEqual(await partSizes(body, 10), [10, 10, 5]);
  assert.deepEqual(await partSizes(chunked([3, 3, 19]), 10), [10, 10, 5]);
  assert.deepEqual(await partSizes(chunked([25]), 5), [5, 5, 5, 5, 5]);
  assert.deepEqual(await partSizes(Buffer.alloc(0), 10), []);
  assert.deepEqual(await partSizes(Readable.from([]), 10), []);

  const joined: Buffer[] = [];
  for await (const part of partsOf(chunked([1, 7, 2, 9, 6]), 4)) joined.push(part);
  assert.deepEqual(Buffer.concat(joined), body);
});
