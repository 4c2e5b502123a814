import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "@gyre/service";
import { parseDockerfile } from "./dockerfile.ts";
import { parseEnvFile } from "./envFile.ts";
import type { ImageInputs } from "./imageRules.ts";
import { yamlFiles } from "./k8sSchema.ts";

/** The deployment files of this repository, read as the checks need them. */
export const K8S_FOLDER = join(REPO_ROOT, "deploy/k8s");

export function readRepoFile(path: string): string {
  return readFileSync(join(REPO_ROOT, path), "utf8");
}

/** docker-compose's .env. */
export function composeVariables(): Map<string, string> {
  return parseEnvFile(readRepoFile(".env"));
}

export function imageInputs(dockerfile = readRepoFile("Dockerfile")): ImageInputs {
  return {
    instructions: parseDockerfile(dockerfile),
    variables: composeVariables(),
    nvmrc: readRepoFile(".nvmrc"),
    lockfile: JSON.parse(readRepoFile("package-lock.json")) as ImageInputs["lockfile"],
    dockerignore: readRepoFile(".dockerignore"),
  };
}

/** The YAML files of deploy/k8s that hold Kubernetes objects: all but kustomization.yaml and the Helm values. */
export function kubernetesManifestFiles(): string[] {
  return yamlFiles(K8S_FOLDER, REPO_ROOT).filter(
    (file) => !file.endsWith("/kustomization.yaml") && !file.startsWith("deploy/k8s/nats/"),
  );
}
