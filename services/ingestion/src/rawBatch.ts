import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type ArtifactStore, ObjectNotFoundError, parseS3Url } from "@gyre/artifacts";
import type { DataArrived } from "@gyre/contracts";
import { BatchRejectedError } from "./rejection.ts";

/** The raw bytes of one batch, as the producer sent them, with their sha256 known. */
export interface RawBatch {
  sha256: string;
  size: number;
  /** The bytes, from the start; may be called more than once. */
  open(): Readable;
  /** The bytes themselves when they are held in memory (inline batches), so they can be read without a stream. */
  bytes?: Buffer;
  /** The temp file holding the bytes when they are not in memory (batches read from S3), for random access. */
  path?: string;
  /** Frees what holding the bytes took (a temp file for batches read from S3). */
  remove(): Promise<void>;
}

/** The artifact store (same endpoint and credentials) of the bucket an `s3://` reference names. */
export type StoreForBucket = (bucket: string) => ArtifactStore;

/** `size` as said to people: "300 bytes", "more than 256 bytes". */
export function tooLarge(size: string, maxBytes: number): BatchRejectedError {
  return new BatchRejectedError(
    "too_large",
    `batch of ${size} is over the limit of ${maxBytes} bytes (INGEST_MAX_BATCH_BYTES); split it into smaller batches`,
  );
}

/** The bytes of an inline batch: base64 decoded, the text as UTF-8, or (format json) the row objects as a JSON array. */
function inlineBytes(arrival: Pick<DataArrived, "rows" | "rowsBase64">): Buffer {
  const { rows, rowsBase64 } = arrival;
  if (rowsBase64 !== undefined) return Buffer.from(rowsBase64, "base64");
  return Buffer.from(typeof rows === "string" ? rows : JSON.stringify(rows), "utf8");
}

/** An inline batch (`rows` or `rowsBase64`), held in memory. */
export function inlineBatch(arrival: Pick<DataArrived, "rows" | "rowsBase64">, maxBytes: number): RawBatch {
  const bytes = inlineBytes(arrival);
  if (bytes.length > maxBytes) throw tooLarge(`${bytes.length} bytes`, maxBytes);
  return {
    sha256: createHash("sha256").update(bytes).digest("hex"),
    size: bytes.length,
    bytes,
    open: () => Readable.from([bytes]),
    remove: async () => {},
  };
}

function isMissingBucket(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "NoSuchBucket";
}

/**
 * A batch by reference: checks the object's size first, then copies it to a temp file, hashing and counting on
 * the way (the object could grow between the two). A missing object or bucket is a rejection naming the URL.
 */
export async function referencedBatch(ref: string, storeFor: StoreForBucket, maxBytes: number): Promise<RawBatch> {
  const { bucket, key } = parseS3Url(ref);
  const store = storeFor(bucket);
  let body: Readable;
  try {
    const { size } = await store.stat(key);
    if (size > maxBytes) throw tooLarge(`${size} bytes`, maxBytes);
    body = await store.get(key);
  } catch (error) {
    if (error instanceof ObjectNotFoundError || isMissingBucket(error)) {
      throw new BatchRejectedError("missing_object", `batch object ${ref} does not exist`, { cause: error });
    }
    throw error;
  }
  const dir = await mkdtemp(join(tmpdir(), "gyre-ingestion-"));
  const remove = () => rm(dir, { recursive: true, force: true });
  const path = join(dir, "batch");
  const hash = createHash("sha256");
  let size = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxBytes) return done(tooLarge(`more than ${maxBytes} bytes`, maxBytes));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(body, measure, createWriteStream(path));
  } catch (error) {
    await remove();
    throw error;
  }
  return { sha256: hash.digest("hex"), size, path, open: () => createReadStream(path), remove };
}
