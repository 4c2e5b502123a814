/** Bucket names as S3 allows them for general-purpose buckets (lowercase, 3-63 characters). */
const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IPV4_PATTERN = /^\d+\.\d+\.\d+\.\d+$/;
const BUCKET_RULE =
  'bucket names use a-z, 0-9, "." and "-", start and end with a letter or digit, 3-63 characters, not an IP address';

// Control characters are refused: they break logs, listings and some S3 servers' XML.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
const MAX_KEY_BYTES = 1024;
const KEY_RULE =
  'keys are 1-1024 bytes of "/"-separated segments, none empty, "." or "..", with no leading "/" and no control characters';

export class InvalidBucketNameError extends Error {
  override name = "InvalidBucketNameError";
  constructor(readonly value: unknown) {
    super(`bucket ${JSON.stringify(value)}: ${BUCKET_RULE}`);
  }
}

export class InvalidObjectKeyError extends Error {
  override name = "InvalidObjectKeyError";
  constructor(readonly value: unknown) {
    super(`object key ${JSON.stringify(value)}: ${KEY_RULE}`);
  }
}

export function isValidBucketName(value: unknown): value is string {
  return (
    typeof value === "string" &&
    BUCKET_PATTERN.test(value) &&
    !/\.\.|\.-|-\./.test(value) &&
    !IPV4_PATTERN.test(value) &&
    !value.startsWith("xn--") &&
    !value.startsWith("sthree-") &&
    !value.endsWith("-s3alias") &&
    !value.endsWith("--ol-s3")
  );
}

export function parseBucketName(value: unknown): string {
  if (!isValidBucketName(value)) throw new InvalidBucketNameError(value);
  return value;
}

export function isValidObjectKey(value: unknown): value is string {
  return (
    typeof value === "string" &&
    value.length > 0 &&
    Buffer.byteLength(value) <= MAX_KEY_BYTES &&
    !CONTROL_CHARACTERS.test(value) &&
    value.split("/").every((segment) => segment !== "" && segment !== "." && segment !== "..")
  );
}

/** Returns the key unchanged or throws an InvalidObjectKeyError that names it. */
export function parseObjectKey(value: unknown): string {
  if (!isValidObjectKey(value)) throw new InvalidObjectKeyError(value);
  return value;
}

/** A listing prefix: empty, or a key, optionally ending in "/". */
export function parseKeyPrefix(value: unknown): string {
  if (value === "") return value;
  if (typeof value === "string" && isValidObjectKey(value.endsWith("/") ? value.slice(0, -1) : value)) return value;
  throw new InvalidObjectKeyError(value);
}
