import { Transform, type TransformCallback } from "node:stream";
import { BatchRejectedError } from "./rejection.ts";

/** Longest UTF-8 sequence, so at most this many bytes less one wait in the decoder between chunks. */
const MAX_SEQUENCE = 4;

const strictDecoder = () => new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Where the first invalid sequence starts in `bytes`, which fails to decode: the shortest prefix that fails
 * (prefixes only fail more as they grow) ends in the byte that showed the sequence is invalid, and the prefix
 * before it decodes up to the sequence's first byte.
 */
export function firstInvalidOffset(bytes: Uint8Array): number {
  const failsAt = (length: number) => {
    try {
      strictDecoder().decode(bytes.subarray(0, length), { stream: true });
      return false;
    } catch {
      return true;
    }
  };
  let low = 1;
  let high = bytes.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (failsAt(middle)) high = middle;
    else low = middle + 1;
  }
  const decoded = strictDecoder().decode(bytes.subarray(0, low - 1), { stream: true });
  return Buffer.byteLength(decoded, "utf8");
}

function notUtf8(offset: number): BatchRejectedError {
  return new BatchRejectedError(
    "not_utf8",
    `batch is not UTF-8: invalid byte sequence at byte offset ${offset}; send the batch encoded as UTF-8`,
  );
}

/**
 * Passes bytes through unchanged once they decode as UTF-8 (a strict decoder, streaming, so a character may
 * straddle chunks); the first invalid byte fails the stream with a BatchRejectedError naming its offset.
 */
export class Utf8Check extends Transform {
  readonly #decoder = strictDecoder();
  /** Bytes that decoded to text so far: valid UTF-8 re-encodes to exactly the bytes it came from. */
  #decodedBytes = 0;
  #seenBytes = 0;
  /** The last bytes seen, enough to hold a sequence the decoder is still waiting to complete. */
  #tail: Buffer = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      this.#decodedBytes += Buffer.byteLength(this.#decoder.decode(chunk, { stream: true }), "utf8");
    } catch {
      const waiting = this.#tail.subarray(this.#tail.length - (this.#seenBytes - this.#decodedBytes));
      done(notUtf8(this.#decodedBytes + firstInvalidOffset(Buffer.concat([waiting, chunk]))));
      return;
    }
    this.#seenBytes += chunk.length;
    const joined = Buffer.concat([this.#tail, chunk]);
    this.#tail = joined.subarray(Math.max(joined.length - (MAX_SEQUENCE - 1), 0));
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    try {
      this.#decoder.decode();
      done();
    } catch {
      // the batch ends inside a sequence, which starts right after the last decoded byte
      done(notUtf8(this.#decodedBytes));
    }
  }
}
