import type { DatasetSpec } from "@gyre/spec";

export const BATCH_PROBLEM_KINDS = [
  "missing_label_column",
  "missing_column",
  "duplicate_column",
  "empty_batch",
  "unreadable",
] as const;
export type BatchProblemKind = (typeof BATCH_PROBLEM_KINDS)[number];

/** A problem with the batch as a whole; any one of them rejects the batch. */
export type BatchProblem = { kind: BatchProblemKind; column?: string; reason: string };

/**
 * Checks the header (as read, duplicates kept) against the spec: the label and every non-nullable
 * feature must be there, and no name may appear twice, since a row could then carry two values for it.
 */
export function checkColumns(spec: DatasetSpec, header: readonly string[]): BatchProblem[] {
  const problems: BatchProblem[] = [];
  const present = new Set(header);
  if (!present.has(spec.label.name)) {
    problems.push({
      kind: "missing_label_column",
      column: spec.label.name,
      reason: `label column "${spec.label.name}" is missing from the header (${header.join(", ")})`,
    });
  }
  for (const feature of spec.features) {
    if (!feature.nullable && !present.has(feature.name)) {
      problems.push({
        kind: "missing_column",
        column: feature.name,
        reason: `column "${feature.name}" is missing from the header, and the feature is not nullable`,
      });
    }
  }
  for (const [name, positions] of headerPositions(header)) {
    if (positions.length > 1) {
      problems.push({
        kind: "duplicate_column",
        column: name,
        reason: `column "${name}" appears ${positions.length} times in the header (positions ${positions.join(", ")})`,
      });
    }
  }
  return problems;
}

/** What the report mentions without holding it against the batch: ignored and absent nullable columns. */
export function columnNotes(spec: DatasetSpec, header: readonly string[]): string[] {
  const known = new Set([...spec.features.map((feature) => feature.name), spec.label.name]);
  const present = new Set(header);
  const notes: string[] = [];
  const unknown = [...present].filter((name) => !known.has(name));
  if (unknown.length > 0) {
    notes.push(`${unknown.length} column(s) not in the spec were ignored: ${unknown.join(", ")}`);
  }
  const absent = spec.features.filter((feature) => feature.nullable && !present.has(feature.name));
  if (absent.length > 0) {
    notes.push(`nullable column(s) absent, read as null: ${absent.map((feature) => feature.name).join(", ")}`);
  }
  return notes;
}

/** 1-based positions of each header name, in order of first appearance. */
function headerPositions(header: readonly string[]): Map<string, number[]> {
  const positions = new Map<string, number[]>();
  header.forEach((name, index) => {
    const seen = positions.get(name);
    if (seen === undefined) positions.set(name, [index + 1]);
    else seen.push(index + 1);
  });
  return positions;
}
