import { parseDocument, stringify } from "yaml";
import { SpecInvalidError } from "./errors.ts";
import { problemsFromIssues } from "./problems.ts";
import { type DatasetSpec, type DatasetSpecInput, datasetSpecSchema } from "./schema.ts";
import { unknownKeyProblems } from "./unknown-keys.ts";

export type SpecFormat = "yaml" | "json";

/**
 * Parses a dataset spec document and validates it. YAML is the default; YAML 1.2 is a superset of JSON,
 * so JSON texts parse either way, and `"json"` holds the text to strict JSON. Throws a SpecInvalidError
 * listing every problem: syntax errors with line and column, then every schema problem at once.
 */
export function parseDatasetSpec(text: string, format: SpecFormat = "yaml"): DatasetSpec {
  return validateDatasetSpec(format === "json" ? readJson(text) : readYaml(text));
}

/** Validates an already-decoded spec (defaults applied); throws a SpecInvalidError listing every problem. */
export function validateDatasetSpec(value: unknown): DatasetSpec {
  const result = datasetSpecSchema.safeParse(value, { reportInput: true });
  const problems = [
    ...(result.success ? [] : problemsFromIssues(result.error.issues)),
    ...unknownKeyProblems(datasetSpecSchema, value),
  ];
  if (problems.length > 0 || !result.success) throw new SpecInvalidError(problems, describeSubject(value));
  return result.data;
}

/** Renders a spec as a document that parseDatasetSpec reads back to an equal spec. */
export function stringifySpec(spec: DatasetSpec | DatasetSpecInput, format: SpecFormat = "yaml"): string {
  if (format === "json") return `${JSON.stringify(spec, null, 2)}\n`;
  return stringify(spec, { lineWidth: 0 });
}

function readYaml(text: string): unknown {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new SpecInvalidError(
      document.errors.map((error) => {
        const where = error.linePos?.[0];
        // With prettyErrors the message ends with " at line L, column C:" and a code excerpt; keep the reason.
        const reason = error.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? error.code;
        return where ? `line ${where.line}, column ${where.col}: ${reason}` : `yaml: ${reason}`;
      }),
      "dataset spec (YAML)",
    );
  }
  return document.toJS();
}

function readJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message)?.[1];
    const reason = message.replace(/ in JSON at position \d+.*$/, "");
    if (position === undefined) throw new SpecInvalidError([`json: ${reason}`], "dataset spec (JSON)");
    const { line, column } = lineAndColumn(text, Number(position));
    throw new SpecInvalidError([`line ${line}, column ${column}: ${reason}`], "dataset spec (JSON)");
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

function describeSubject(value: unknown): string {
  const name = typeof value === "object" && value !== null ? (value as { name?: unknown }).name : undefined;
  return typeof name === "string" ? `dataset spec "${name}"` : "dataset spec";
}
