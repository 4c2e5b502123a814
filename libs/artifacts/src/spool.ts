import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

/** A body whose sha256 and size are known before it is uploaded. */
export interface HashedContent {
  sha256: string;
  size: number;
  /** The bytes, from the start. */
  open(): Buffer | Readable;
  /** Frees what holding the bytes took (a temp file for streams). */
  remove(): Promise<void>;
}

/** Hashes a Buffer in place; writes a stream to a temp file (under $TMPDIR), hashing it on the way. */
export async function hashContent(body: Buffer | Readable): Promise<HashedContent> {
  if (Buffer.isBuffer(body)) {
    const sha256 = createHash("sha256").update(body).digest("hex");
    return { sha256, size: body.length, open: () => body, remove: async () => {} };
  }
  const dir = await mkdtemp(join(tmpdir(), "gyre-spool-"));
  const remove = () => rm(dir, { recursive: true, force: true });
  const path = join(dir, "body");
  const hash = createHash("sha256");
  let size = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(body, measure, createWriteStream(path));
  } catch (error) {
    await remove();
    throw error;
  }
  return { sha256: hash.digest("hex"), size, open: () => createReadStream(path), remove };
}
