import { z } from "zod";

const PREVIEW_CHARS = 60;

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
}

/** Zod reports a bad record key as one `invalid_key` issue wrapping the key's own issues; unwrap them. */
function flatten(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.flatMap((issue) =>
    issue.code === "invalid_key" ? issue.issues.map((inner) => ({ ...inner, path: issue.path })) : [issue],
  );
}

/**
 * Whether the message already quotes the value, or there is none to show: Gyre's own messages (refinements
 * and pattern checks) quote it themselves; an unknown key's "input" is the whole object.
 */
function quotesInput(issue: z.core.$ZodIssue): boolean {
  if (issue.input === undefined) return true;
  if (issue.code === "custom" || issue.code === "unrecognized_keys") return true;
  return issue.code === "invalid_format" && issue.format === "regex";
}

/**
 * One line per problem: where (`data.rows[0].at`), what, and the offending value when zod's message
 * does not already quote it. Needs the issues of a parse run with `reportInput: true`.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return flatten(issues)
    .map((issue) => {
      const where = issue.path.length === 0 ? "event" : z.core.toDotPath(issue.path);
      return `${where}: ${issue.message}${quotesInput(issue) ? "" : `, got ${preview(issue.input)}`}`;
    })
    .join("; ");
}
