import type { Readable } from "node:stream";
import type { Client } from "minio";

/** Yields the body in parts of exactly `partSize` bytes (the last one shorter). */
export async function* partsOf(body: Buffer | Readable, partSize: number): AsyncGenerator<Buffer> {
  if (Buffer.isBuffer(body)) {
    for (let start = 0; start < body.length; start += partSize) yield body.subarray(start, start + partSize);
    return;
  }
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of body) {
    pending.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
    pendingBytes += pending.at(-1)?.length ?? 0;
    while (pendingBytes >= partSize) {
      const joined = Buffer.concat(pending);
      yield joined.subarray(0, partSize);
      pending = [joined.subarray(partSize)];
      pendingBytes = joined.length - partSize;
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending);
}

export interface UploadTarget {
  client: Client;
  bucket: string;
  key: string;
  headers: Record<string, string>;
}

/**
 * Uploads a body of any length: one PUT when it fits in one part, otherwise a multipart upload.
 *
 * Not minio's `putObject(stream)`: that pipes the body without listening for its errors (a failed
 * source leaves it waiting forever, with a part possibly still in flight after any abort), and it
 * resumes whatever unfinished upload of the same key it finds, so two writers could share one.
 * Here parts go up one at a time, and on any error the upload is aborted by its own id once
 * nothing is in flight.
 */
export async function uploadInParts(target: UploadTarget, body: Buffer | Readable, partSize: number): Promise<void> {
  const { client, bucket, key, headers } = target;
  const parts = partsOf(body, partSize);
  const first = await parts.next();
  const second = first.done ? first : await parts.next();
  if (second.done) {
    await client.putObject(bucket, key, first.done ? Buffer.alloc(0) : first.value, undefined, headers);
    return;
  }
  const uploadID = await client.initiateNewMultipartUpload(bucket, key, headers);
  const etags: Array<{ part: number; etag: string }> = [];
  const uploadPart = async (payload: Buffer) => {
    const part = etags.length + 1;
    const { etag } = await client.uploadPart(
      { bucketName: bucket, objectName: key, uploadID, partNumber: part, headers: {} },
      payload,
    );
    etags.push({ part, etag });
  };
  try {
    await uploadPart(first.value as Buffer);
    await uploadPart(second.value);
    for await (const payload of parts) await uploadPart(payload);
    await client.completeMultipartUpload(bucket, key, uploadID, etags);
  } catch (error) {
    await client.abortMultipartUpload(bucket, key, uploadID).catch(() => {});
    throw error;
  }
}
