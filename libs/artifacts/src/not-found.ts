export class ObjectNotFoundError extends Error {
  override name = "ObjectNotFoundError";
  constructor(
    readonly bucket: string,
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(`object ${JSON.stringify(key)} not found in bucket ${JSON.stringify(bucket)}`, options);
  }
}

/** S3 answers a missing object with NoSuchKey (GET, with a body) or NotFound (HEAD, no body). */
export function isMissingObject(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "NoSuchKey" || code === "NotFound";
}

export function isMissingBucket(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "NoSuchBucket";
}
