import type { z } from "zod";

const MAX_VALUE_CHARS = 80;

/** `features[2].type`, or `spec` for the document itself. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else text += text === "" ? String(segment) : `.${String(segment)}`;
  }
  return text === "" ? "spec" : text;
}

/** A short JSON rendering of an offending value, for messages. */
export function describeValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/** Codes whose default zod message does not say what value was found. */
const CODES_WITHOUT_VALUE = new Set(["invalid_value", "too_small", "too_big", "invalid_format", "not_multiple_of"]);

/** One "path: message" line per zod issue; the message names the offending value. Needs `reportInput: true`. */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => `${formatPath(issue.path)}: ${issueMessage(issue)}`);
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type") {
    if (issue.input === undefined) return `is required (expected ${issue.expected})`;
    return `expected ${issue.expected}, got ${describeValue(issue.input)}`;
  }
  if (CODES_WITHOUT_VALUE.has(issue.code) && issue.input !== undefined) {
    return `${issue.message}, got ${describeValue(issue.input)}`;
  }
  return issue.message;
}
