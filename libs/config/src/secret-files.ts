import { readFileSync } from "node:fs";
import { displayValue, isSecretName } from "./secrets.ts";

/**
 * Secrets from files, the Docker and Kubernetes secrets convention: `DATABASE_URL_FILE=/run/secrets/database-url`
 * sets DATABASE_URL to the file's content, trailing newlines removed. Accepted for every variable that holds a
 * credential: secret names (`isSecretName`), connection URLs (`*_URL`), user names (`*_USER`) and S3_ACCESS_KEY. TLS
 * key variables (`*_TLS_KEY`) are paths already, so they have no `_FILE` form.
 */
export const FILE_SUFFIX = "_FILE";

export function acceptsFile(name: string): boolean {
  if (name.endsWith(FILE_SUFFIX) || name.includes("_TLS_")) return false;
  return isSecretName(name) || /(?:_URL|_USER|ACCESS_KEY)$/.test(name);
}

/** A problem found while reading `<NAME>_FILE` variables; `value` is a path or masked, never a file's content. */
export interface SecretFileProblem {
  variable: string;
  value?: string;
  problem: string;
}

export interface SecretFilesResult {
  /** The environment with each `<NAME>` read from `<NAME>_FILE` (the `_FILE` variables stay). */
  env: Record<string, string>;
  /** For each variable read from a file, the file's path. */
  files: Map<string, string>;
  problems: SecretFileProblem[];
}

/** The message of a failed read without the path Node appends (`ENOENT: no such file or directory`). */
function readFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/, \w+ '.*'$/s, "");
}

/**
 * Reads `<NAME>_FILE` for each of `names` that accepts a file (every such variable of `env` when `names` is
 * undefined). Setting both NAME and NAME_FILE, an unreadable file and an empty file are problems.
 */
export function readSecretFiles(env: Record<string, string>, names?: readonly string[]): SecretFilesResult {
  const candidates =
    names ??
    Object.keys(env)
      .filter((key) => key.endsWith(FILE_SUFFIX))
      .map((key) => key.slice(0, -FILE_SUFFIX.length));
  const resolved = { ...env };
  const files = new Map<string, string>();
  const problems: SecretFileProblem[] = [];
  for (const name of candidates) {
    if (!acceptsFile(name)) continue;
    const fileVariable = `${name}${FILE_SUFFIX}`;
    const path = env[fileVariable];
    if (path === undefined) continue;
    const inline = env[name];
    if (inline !== undefined) {
      problems.push({
        variable: name,
        value: displayValue(name, inline),
        problem: `${name} and ${fileVariable} are both set; set only one of them`,
      });
      continue;
    }
    let content: string;
    try {
      content = readFileSync(path, "utf8");
    } catch (error) {
      problems.push({ variable: fileVariable, value: path, problem: `cannot read the file: ${readFailure(error)}` });
      continue;
    }
    const value = content.replace(/[\r\n]+$/, "");
    if (value === "") {
      problems.push({ variable: fileVariable, value: path, problem: `the file is empty; it should hold ${name}` });
      continue;
    }
    resolved[name] = value;
    files.set(name, path);
  }
  return { env: resolved, files, problems };
}
