import { pipeline, type Readable, Transform, type TransformCallback } from "node:stream";
import { createGunzip, gunzipSync } from "node:zlib";

/** Decompressed bytes went past the limit: a gzip bomb, or a batch that should have been split. */
export class DecompressedTooLargeError extends Error {
  override name = "DecompressedTooLargeError";
  constructor(readonly maxBytes: number) {
    super(`gzip data decompresses to more than ${maxBytes} bytes`);
  }
}

/** Bytes that are not gzip, or gzip that is damaged or cut short. */
export class CorruptGzipError extends Error {
  override name = "CorruptGzipError";
}

/** zlib's error as a CorruptGzipError naming what zlib found; any other error as it is. */
export function asGzipError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (!(error instanceof Error) || typeof code !== "string" || !code.startsWith("Z_")) return error;
  const what = code === "Z_BUF_ERROR" ? "gzip data ends early (truncated?)" : "gzip data is corrupt";
  return new CorruptGzipError(`${what}: ${error.message} (zlib ${code})`, { cause: error });
}

/** Passes bytes through until more than `maxBytes` have gone by, then fails with DecompressedTooLargeError. */
class ByteLimit extends Transform {
  #seen = 0;
  constructor(readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.#seen += chunk.length;
    if (this.#seen > this.maxBytes) done(new DecompressedTooLargeError(this.maxBytes));
    else done(null, chunk);
  }
}

/**
 * `source` gunzipped (concatenated members too), failing once the output passes `maxBytes`: only that much is
 * ever decompressed. Any failure (the source's, zlib's, the limit's) is the returned stream's error; pass it
 * through asGzipError.
 */
export function gunzipped(source: Readable, maxBytes: number): Readable {
  // the callback form returns the last stream, and destroys every stream with the first error
  return pipeline(source, createGunzip(), new ByteLimit(maxBytes), () => {});
}

/** Gunzips bytes held in memory, at most `maxBytes` of output; CorruptGzipError or DecompressedTooLargeError. */
export function gunzipBytes(bytes: Uint8Array, maxBytes: number): Buffer {
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE") throw new DecompressedTooLargeError(maxBytes);
    throw asGzipError(error);
  }
}
