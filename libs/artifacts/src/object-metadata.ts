/** User metadata, sent as `x-amz-meta-<name>` headers. Names are lowercase, since S3 servers fold them anyway. */
export type ObjectMetadata = Record<string, string>;

const NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,127}$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const USER_PREFIX = "x-amz-meta-";
/** Headers minio sends as-is rather than as user metadata; a metadata entry must not shadow them. */
const STANDARD_HEADERS = new Set([
  "content-type",
  "cache-control",
  "content-encoding",
  "content-disposition",
  "content-language",
  "x-amz-website-redirect-location",
  "if-none-match",
  "if-match",
  "x-amz-storage-class",
  "x-amz-acl",
]);

export class InvalidMetadataError extends Error {
  override name = "InvalidMetadataError";
  constructor(
    readonly entry: string,
    reason: string,
  ) {
    super(`object metadata ${JSON.stringify(entry)}: ${reason}`);
  }
}

export function toRequestHeaders(
  contentType: string | undefined,
  metadata: ObjectMetadata = {},
): Record<string, string> {
  const headers: Record<string, string> = { "Content-Type": contentType ?? "application/octet-stream" };
  for (const [name, value] of Object.entries(metadata)) {
    if (!NAME_PATTERN.test(name) || STANDARD_HEADERS.has(name) || name.startsWith("x-amz-")) {
      throw new InvalidMetadataError(name, 'names use a-z, 0-9 and "-" and are not HTTP or x-amz- header names');
    }
    if (!PRINTABLE_ASCII.test(value)) {
      throw new InvalidMetadataError(name, `value ${JSON.stringify(value)} must be printable ASCII`);
    }
    headers[`${USER_PREFIX}${name}`] = value;
  }
  return headers;
}

/** minio's stat mixes standard headers with user metadata (prefix already stripped): keep the user's part. */
export function userMetadata(metaData: Record<string, unknown>): ObjectMetadata {
  const metadata: ObjectMetadata = {};
  for (const [name, value] of Object.entries(metaData)) {
    const lower = name.toLowerCase();
    if (STANDARD_HEADERS.has(lower) || lower.startsWith("x-amz-") || typeof value !== "string") continue;
    metadata[lower] = value;
  }
  return metadata;
}
