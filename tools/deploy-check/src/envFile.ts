/**
 * Docker Compose's `.env` file and its variable interpolation (`${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?message}`, `${VAR?message}`, `${VAR:+alternative}`, `${VAR+alternative}`, `$VAR`, and `$$` for a literal
 * `$`), as the Compose Specification defines them, so the file can be checked as Compose will read it.
 */

/** `KEY=value` lines; `#` starts a comment line; surrounding quotes are removed. */
export function parseEnvFile(text: string): Map<string, string> {
  const variables = new Map<string, string>();
  for (const [index, rawLine] of text.split("\n").entries()) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match?.[1]) throw new Error(`.env line ${index + 1} ${JSON.stringify(rawLine)}: expected KEY=value`);
    let value = match[2] ?? "";
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1);
    variables.set(match[1], value);
  }
  return variables;
}

export class InterpolationError extends Error {
  override name = "InterpolationError";
}

// $$ | ${NAME} | ${NAME<op>word} | $NAME, where <op> is one of :- - :? ? :+ +
const REFERENCE = /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/**
 * Replaces the variable references in one string. A variable that is unset and has no default is an error here
 * (Compose would substitute an empty string with a warning, which in a pinned file is always a mistake).
 */
export function interpolate(text: string, variables: ReadonlyMap<string, string>): string {
  return text.replace(REFERENCE, (whole, dollar, braced, operator, word, bare) => {
    if (dollar) return "$";
    const name: string = braced ?? bare;
    const value = variables.get(name);
    const empty = value === undefined || value === "";
    switch (operator as string | undefined) {
      case ":-":
        return empty ? word : (value as string);
      case "-":
        return value === undefined ? word : value;
      case ":?":
        if (empty) throw new InterpolationError(`${whole}: ${name} is required: ${word}`);
        return value as string;
      case "?":
        if (value === undefined) throw new InterpolationError(`${whole}: ${name} is required: ${word}`);
        return value;
      case ":+":
        return empty ? "" : word;
      case "+":
        return value === undefined ? "" : word;
      default:
        if (value === undefined) throw new InterpolationError(`${whole}: ${name} is not set and has no default`);
        return value;
    }
  });
}

/** The names a string refers to, defaults and all (`$$` excluded). */
export function referencedVariables(text: string): string[] {
  return [...text.matchAll(REFERENCE)].filter((match) => !match[1]).map((match) => (match[2] ?? match[5]) as string);
}

/** Interpolates every string value (not keys) of a parsed YAML document, collecting errors with their paths. */
export function interpolateDocument(
  value: unknown,
  variables: ReadonlyMap<string, string>,
  errors: { path: string; message: string }[],
  path = "",
): unknown {
  if (typeof value === "string") {
    try {
      return interpolate(value, variables);
    } catch (error) {
      errors.push({ path, message: (error as Error).message });
      return value;
    }
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => interpolateDocument(item, variables, errors, `${path}[${index}]`));
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        interpolateDocument(item, variables, errors, path ? `${path}.${key}` : key),
      ]),
    );
  }
  return value;
}
