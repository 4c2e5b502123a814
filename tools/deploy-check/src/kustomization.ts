import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "yaml";
import { isPinned } from "./composeRules.ts";
import { type Manifest, parseManifests } from "./k8sSchema.ts";
import { list, type Problem, record } from "./problem.ts";

/** The parts of a kustomization.yaml these checks read. */
export interface Kustomization {
  file: string;
  resources: string[];
  images: Record<string, unknown>[];
  namespace?: string;
}

export function readKustomization(folder: string, root: string): Kustomization {
  const file = relative(root, join(folder, "kustomization.yaml"));
  const document = record(parse(readFileSync(join(root, file), "utf8")));
  return {
    file,
    resources: list(document.resources).map(String),
    images: list(document.images).map(record),
    ...(typeof document.namespace === "string" ? { namespace: document.namespace } : {}),
  };
}

/**
 * Every listed resource exists, every manifest file of the folder is listed (a file left out is never applied), and
 * every image override carries a pinned tag. `manifestFiles`: the folder's YAML files that hold Kubernetes objects.
 */
export function kustomizationProblems(
  kustomization: Kustomization,
  folder: string,
  root: string,
  manifestFiles: readonly string[],
): Problem[] {
  const problems: Problem[] = [];
  const add = (at: string, message: string) => problems.push({ file: kustomization.file, at, message });
  const listed = new Set(kustomization.resources.map((resource) => relative(root, join(folder, resource))));
  for (const resource of kustomization.resources) {
    if (!existsSync(join(folder, resource))) add("resources", `${resource}: no such file`);
  }
  for (const file of manifestFiles) {
    if (!listed.has(file)) add("resources", `${file} holds Kubernetes objects but is not listed`);
  }
  for (const image of kustomization.images) {
    if (!isPinned(`${String(image.newName ?? image.name)}:${String(image.newTag ?? "")}`)) {
      add(`images.${String(image.name)}`, "set a pinned newTag");
    }
  }
  return problems;
}

/** Whether kubectl (which embeds kustomize) is on this machine. */
export function hasKubectl(): boolean {
  try {
    execFileSync("kubectl", ["version", "--client"], { stdio: "ignore", timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

/** The objects `kubectl kustomize <folder>` renders: what `kubectl apply -k` would send, offline. */
export function renderKustomization(folder: string, root: string): Manifest[] {
  const output = execFileSync("kubectl", ["kustomize", folder], { encoding: "utf8", timeout: 60_000 });
  return parseManifests(`${relative(root, folder)} (rendered)`, output);
}
