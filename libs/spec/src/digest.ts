import { createHash } from "node:crypto";
import { validateDatasetSpec } from "./parse.ts";
import type { DatasetSpec, DatasetSpecInput } from "./schema.ts";

/**
 * SHA-256 (64 lowercase hex digits) of the validated spec as canonical JSON (keys sorted, defaults applied),
 * so two documents that mean the same spec (key order, omitted defaults, YAML or JSON) share a digest.
 */
export function specDigest(spec: DatasetSpec | DatasetSpecInput): string {
  return createHash("sha256")
    .update(canonicalJson(validateDatasetSpec(spec)))
    .digest("hex");
}

/** JSON with object keys sorted at every depth; `undefined` members are left out, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== "object" || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) sorted[key] = sortKeys(member);
  }
  return sorted;
}
