import { type ArtifactStore, InvalidObjectKeyError, ObjectNotFoundError } from "@gyre/artifacts";
import { ONNX_BACKEND } from "@gyre/model";

/** Files a model artifact must have under its key prefix before its version is registered. */
export const REQUIRED_ARTIFACT_FILES = ["metadata.json", "model.json"] as const;
/** The same for an external ONNX model (backend "onnxruntime"). */
export const REQUIRED_ONNX_ARTIFACT_FILES = ["metadata.json", "model.onnx", "external.json"] as const;

/**
 * What is wrong with the artifact at the key prefix: a required file missing or empty; null when every required
 * file is there. S3 errors other than "not found" are thrown (they may pass, so the event is retried).
 */
export async function artifactProblem(store: ArtifactStore, artifactKey: string, backend = ""): Promise<string | null> {
  const required = backend === ONNX_BACKEND ? REQUIRED_ONNX_ARTIFACT_FILES : REQUIRED_ARTIFACT_FILES;
  for (const file of required) {
    const key = `${artifactKey}/${file}`;
    try {
      const stat = await store.stat(key);
      if (stat.size === 0) return `artifact file "${key}" in bucket "${store.bucket}" is empty`;
    } catch (error) {
      if (error instanceof ObjectNotFoundError)
        return `artifact file "${key}" is missing from bucket "${store.bucket}"`;
      if (error instanceof InvalidObjectKeyError)
        return `artifact file "${key}" is not a valid object key: ${error.message}`;
      throw error;
    }
  }
  return null;
}
