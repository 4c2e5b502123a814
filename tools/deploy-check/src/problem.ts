/** One thing wrong with a deployment file: where, and what. */
export interface Problem {
  /** The file, relative to the repository root. */
  file: string;
  /** Where in the file: a dotted path such as `services.ingestion.healthcheck`, or a line. */
  at: string;
  message: string;
}

export function formatProblem(problem: Problem): string {
  return `${problem.file}${problem.at ? ` ${problem.at}` : ""}: ${problem.message}`;
}

/** A value as an object whose keys can be read, or an empty one. */
export function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
