import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parseAllDocuments } from "yaml";
import { type Problem, record } from "./problem.ts";

/** One Kubernetes object and the file it came from. */
export interface Manifest {
  file: string;
  object: Record<string, unknown>;
}

/** Every document of a multi-document YAML text; empty documents are skipped, YAML errors throw with the file. */
export function parseManifests(file: string, text: string): Manifest[] {
  return parseAllDocuments(text).flatMap((document) => {
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]?.message}`);
    const object = document.toJS() as unknown;
    return object === null || object === undefined ? [] : [{ file, object: record(object) }];
  });
}

/** The `.yaml` files under a folder, relative to `root`, sorted. */
export function yamlFiles(folder: string, root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name)) found.push(relative(root, path));
    }
  };
  walk(folder);
  return found;
}

export function readManifests(files: readonly string[], root: string): Manifest[] {
  return files.flatMap((file) => parseManifests(file, readFileSync(join(root, file), "utf8")));
}

interface ModelClass {
  new (data: Record<string, unknown>): { validate(): void };
}

/**
 * The Kubernetes API's own schemas, as the kubernetes-models package ships them: one validator per kind, compiled
 * by ajv from the Kubernetes OpenAPI definitions when the package was built, so nothing is fetched here.
 * `apps/v1` + `Deployment` → the Deployment class of `kubernetes-models/apps/v1`.
 */
async function modelFor(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  if (!/^([a-z0-9.-]+\/)?v\d+((alpha|beta)\d+)?$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(kind))
    return undefined;
  try {
    const models = (await import(`kubernetes-models/${apiVersion}`)) as Record<string, unknown>;
    const model = models[kind];
    return typeof model === "function" ? (model as ModelClass) : undefined;
  } catch {
    return undefined;
  }
}

/** Problems of one object against the Kubernetes schema of its apiVersion and kind. */
export async function kubernetesSchemaProblems(manifest: Manifest): Promise<Problem[]> {
  const { apiVersion, kind, metadata } = manifest.object;
  const at = `${String(kind)}/${String(record(metadata).name ?? "?")}`;
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    return [{ file: manifest.file, at, message: "apiVersion and kind are required" }];
  }
  const Model = await modelFor(apiVersion, kind);
  if (!Model) return [{ file: manifest.file, at, message: `no Kubernetes schema for ${apiVersion} ${kind}` }];
  try {
    new Model(structuredClone(manifest.object)).validate();
    return [];
  } catch (error) {
    const errors = (error as { errors?: { instancePath?: string; message?: string }[] }).errors;
    if (!errors?.length) return [{ file: manifest.file, at, message: (error as Error).message }];
    return errors.map((detail) => ({
      file: manifest.file,
      at: `${at}${(detail.instancePath ?? "").replaceAll("/", ".")}`,
      message: detail.message ?? "invalid",
    }));
  }
}

/** Kubernetes quantities: `100m`, `2`, `256Mi`, `1Gi`, `1e3`. */
export function quantity(value: unknown): number | undefined {
  const match = /^([0-9.]+(?:e[0-9]+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(String(value ?? ""));
  if (!match?.[1]) return undefined;
  const factor: Record<string, number> = {
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
  };
  return Number(match[1]) * (match[2] ? (factor[match[2]] ?? Number.NaN) : 1);
}
