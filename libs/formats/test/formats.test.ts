import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { parquetWriteBuffer } from "hyparquet-writer";
import { asGzipError, gunzipped, openParquet, parquetBytes, parquetRowGroups } from "../src/index.ts";

async function drain(stream: Readable): Promise<number> {
  let bytes = 0;
  await pipeline(stream, async (chunks: AsyncIterable<Buffer>) => {
    for await (const chunk of chunks) bytes += chunk.length;
  });
  return bytes;
}

describe("gunzipped", () => {
  test("reads concatenated gzip members as one stream", async () => {
    const source = Readable.from([Buffer.concat([gzipSync("a,b\n"), gzipSync("1,2\n")])]);
    assert.equal(await drain(gunzipped(source, 100)), 8);
  });

  test("stops a bomb once its output passes the limit, after reading little of it", async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    await assert.rejects(drain(gunzipped(Readable.from([bomb]), 1024 * 1024)), {
      name: "DecompressedTooLargeError",
      message: "gzip data decompresses to more than 1048576 bytes",
    });
  });

  test("names corrupt and truncated gzip from zlib's code", async () => {
    const gz = gzipSync("date,weather\n2012-01-01,sun\n".repeat(50));
    const failure = async (bytes: Buffer) =>
      String(asGzipError(await drain(gunzipped(Readable.from([bytes]), 1e6)).catch((error: unknown) => error)));
    assert.equal(
      await failure(Buffer.from("plain text")),
      "CorruptGzipError: gzip data is corrupt: incorrect header check (zlib Z_DATA_ERROR)",
    );
    assert.equal(
      await failure(gz.subarray(0, 20)),
      "CorruptGzipError: gzip data ends early (truncated?): unexpected end of file (zlib Z_BUF_ERROR)",
    );
  });
});

describe("parquetRowGroups", () => {
  test("reads INT64 as numbers where exact and as digits beyond 2^53, BOOLEAN, nulls and timestamps", async () => {
    const file = parquetWriteBuffer({
      columnData: [
        { name: "id", data: [1n, 9007199254740993n], type: "INT64" },
        { name: "ok", data: [true, null], type: "BOOLEAN" },
        { name: "at", data: [new Date("2024-05-01T12:30:00Z"), null], type: "TIMESTAMP" },
      ],
    });
    const table = await openParquet(parquetBytes(new Uint8Array(file)));
    const rows = [];
    for await (const group of parquetRowGroups(table)) rows.push(...group);
    assert.deepEqual(rows, [
      { id: 1, ok: true, at: "2024-05-01T12:30:00.000Z" },
      { id: "9007199254740993", ok: null, at: null },
    ]);
  });
});
