import { writeSync } from "node:fs";
import { z } from "zod";
import { FILE_SUFFIX, readSecretFiles } from "./secret-files.ts";
import { displayValue, isSecretName, MASK } from "./secrets.ts";

/**
 * One bad or missing variable. `value` is already masked when the variable is a secret; absent when unset. `file` is
 * the path the value was read from (`<NAME>_FILE`).
 */
export interface ConfigProblem {
  variable: string;
  value?: string;
  file?: string;
  problem: string;
}

export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${describeProblem(p)}`).join("\n")}`);
  }
}

export function describeProblem({ variable, value, file, problem }: ConfigProblem): string {
  if (value === undefined) return `${variable} is not set: ${problem}`;
  const source = file === undefined ? "" : ` (from ${variable}${FILE_SUFFIX}=${JSON.stringify(file)})`;
  return `${variable}=${JSON.stringify(value)}${source}: ${problem}`;
}

/** The exit code for a configuration error (sysexits.h EX_CONFIG). */
export const EX_CONFIG = 78;

type Env = Record<string, string | undefined>;

/** Empty variables count as unset, so `FOO=` in a compose file falls back to the default. */
function withoutEmpty(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
}

function problemOf(issue: z.core.$ZodIssue, env: Env, files: ReadonlyMap<string, string>): ConfigProblem {
  const variable = issue.path.length > 0 ? issue.path.map(String).join(".") : "(environment)";
  const raw = env[variable];
  // A schema's message should never quote the value, but a secret must not leak if one does.
  const problem = raw !== undefined && isSecretName(variable) ? issue.message.split(raw).join(MASK) : issue.message;
  if (raw === undefined) return { variable, problem };
  const file = files.get(variable);
  return { variable, value: displayValue(variable, raw), ...(file === undefined ? {} : { file }), problem };
}

/**
 * Parses the environment with `schema` once; throws a ConfigError that lists every bad or missing variable. A
 * credential may come from a file instead: `<NAME>_FILE` holds its path (see `readSecretFiles`).
 */
export function loadConfig<T extends z.ZodType>(schema: T, env: Env = process.env): z.output<T> {
  const names = schema instanceof z.ZodObject ? Object.keys(schema.shape) : undefined;
  const {
    env: present,
    files,
    problems: fileProblems,
  } = readSecretFiles(withoutEmpty(env) as Record<string, string>, names);
  const result = schema.safeParse(present);
  if (result.success && fileProblems.length === 0) return result.data;
  // A variable whose file could not be read is reported once, by its _FILE variable, not also as "not set".
  const reported = new Set(fileProblems.map(({ variable }) => variable.replace(new RegExp(`${FILE_SUFFIX}$`), "")));
  const schemaProblems = (result.error?.issues ?? [])
    .map((issue) => problemOf(issue, present, files))
    .filter(({ variable }) => !reported.has(variable));
  throw new ConfigError([...fileProblems, ...schemaProblems]);
}

/**
 * Like loadConfig, but on a ConfigError writes one JSON log line to stdout and one line per problem
 * to stderr, then exits with EX_CONFIG (78), so an orchestrator shows why the service did not start.
 */
export function loadConfigOrExit<T extends z.ZodType>(schema: T, env: Env = process.env): z.output<T> {
  try {
    return loadConfig(schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const line = { level: "fatal", time: Date.now(), msg: "invalid configuration", problems: error.problems };
    // Synchronous writes: process.exit does not wait for buffered stream writes.
    writeSync(1, `${JSON.stringify(line)}\n`);
    writeSync(2, `${error.message}\n`);
    process.exit(EX_CONFIG);
  }
}
