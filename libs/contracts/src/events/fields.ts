import { z } from "zod";
import { datasetNameSchema } from "../names.ts";

/**
 * Largest inline `rows` payload a `data.arrived` event may carry, in UTF-8 bytes; bigger batches go by `ref`.
 * Kept well under NATS's default max_payload (1 MiB), which bounds the whole event.
 */
export const MAX_INLINE_BYTES = 768 * 1024;

/** A string field checked by one pattern; a mismatch says which field, the value, and the rule. */
function patterned(kind: string, pattern: RegExp, rule: string) {
  return z.string().regex(pattern, { error: (issue) => `${kind} ${JSON.stringify(issue.input)}: ${rule}` });
}

/**
 * The dataset name schema of names.ts, with its rule (the same NAME_PATTERN) spelled out for JSON Schema,
 * which cannot carry a refinement. A test keeps the two in step.
 */
export const datasetField = datasetNameSchema.meta({
  pattern: "^[a-z][a-z0-9_-]{0,62}$",
  description: 'Dataset name: starts with a-z, then a-z, 0-9, "-" and "_", at most 63 characters.',
});

export const idField = (kind: string) =>
  patterned(
    kind,
    /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/,
    'ids are 1-200 characters of A-Z, a-z, 0-9, ".", "_", ":" and "-", starting with a letter or digit',
  );

export const batchKeyField = patterned(
  "batchKey",
  /^[A-Za-z0-9._:-]{1,200}$/,
  'batch keys are 1-200 characters of A-Z, a-z, 0-9, ".", "_", ":" and "-"',
);

export const sha256Field = patterned("sha256", /^[a-f0-9]{64}$/, "expected 64 lowercase hex digits (a SHA-256)");

// One S3 key segment: 1+ characters from S3's "safe" set, and never "." or ".." (no path traversal).
const KEY_SEGMENT = String.raw`(?!\.{1,2}(?:/|$))[A-Za-z0-9!_.*'()=+,@~-]+`;
const OBJECT_KEY = `${KEY_SEGMENT}(?:/${KEY_SEGMENT})*`;
const KEY_RULE = `keys are "/"-separated segments of A-Z, a-z, 0-9 and !_.*'()=+,@~- with no "." or ".." segment`;

export const objectKeyField = (kind: string) =>
  patterned(kind, new RegExp(`^${OBJECT_KEY}$`), KEY_RULE).max(1024, {
    error: (issue) => `${kind} of ${String(issue.input).length} characters: at most 1024`,
  });

// Bucket: 3-63 characters of a-z, 0-9, "." and "-", starting and ending with a letter or digit.
export const S3_REF_PATTERN = new RegExp(`^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/${OBJECT_KEY}$`);

export const s3RefField = patterned(
  "ref",
  S3_REF_PATTERN,
  `expected s3://<bucket>/<key>: buckets are 3-63 characters of a-z, 0-9, "." and "-"; ${KEY_RULE}`,
).max(5 + 63 + 1 + 1024);

/** Feature and output names: SQL-safe identifiers, since the feature store keeps them as columns. */
export const featureNameField = patterned(
  "feature",
  /^[A-Za-z_][A-Za-z0-9_]{0,62}$/,
  "feature names start with a letter or _, then letters, digits and _, at most 63 characters",
);

export const metricNameField = patterned(
  "metric",
  /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/,
  'metric names start with a letter, then letters, digits, "_", "." and "-", at most 64 characters',
);

export const countField = z.int().nonnegative();
export const shareField = z.number().min(0).max(1);
export const timeField = z.iso.datetime({ offset: true });
/** Revision of the dataset spec a service worked with (1, 2, ...). */
export const specRevisionField = z.int().positive();
/** Registry model version (1, 2, ...). */
export const modelVersionField = z.int().positive();
export const reasonField = z.string().min(1).max(2000);

/** Metric name → value, e.g. `{ "accuracy": 0.91, "loss": 0.23 }`. */
export const metricsField = z.record(metricNameField, z.number());

export const scalarField = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]);
