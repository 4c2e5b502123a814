import { isValidBucketName, isValidObjectKey } from "./names.ts";

export interface S3Location {
  bucket: string;
  key: string;
}

export class InvalidS3UrlError extends Error {
  override name = "InvalidS3UrlError";
  constructor(
    readonly value: unknown,
    reason: string,
  ) {
    super(`S3 URL ${JSON.stringify(value)}: ${reason}; expected s3://<bucket>/<key>`);
  }
}

const SCHEME = "s3://";

/**
 * Parses `s3://bucket/key`. The key is taken literally (no percent-decoding, no URL
 * normalisation), so `s3://b/../x` is refused rather than silently resolved to `s3://b/x`.
 */
export function parseS3Url(value: unknown): S3Location {
  if (typeof value !== "string" || !value.startsWith(SCHEME)) throw new InvalidS3UrlError(value, "not an s3:// URL");
  const rest = value.slice(SCHEME.length);
  const slash = rest.indexOf("/");
  if (slash < 0) throw new InvalidS3UrlError(value, "no object key");
  const bucket = rest.slice(0, slash);
  const key = rest.slice(slash + 1);
  if (!isValidBucketName(bucket)) throw new InvalidS3UrlError(value, `invalid bucket name ${JSON.stringify(bucket)}`);
  if (!isValidObjectKey(key)) {
    throw new InvalidS3UrlError(
      value,
      `invalid object key ${JSON.stringify(key)} (no "..", ".", empty segments or control characters)`,
    );
  }
  return { bucket, key };
}

export function formatS3Url({ bucket, key }: S3Location): string {
  return `${SCHEME}${bucket}/${key}`;
}
