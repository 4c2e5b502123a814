import { type ArtifactStore, ObjectNotFoundError } from "@gyre/artifacts";
import * as tf from "@tensorflow/tfjs";
import type { ModelBundle } from "./bundle.ts";
import { ArtifactCorruptError, ArtifactMissingError } from "./errors.ts";
import { parseMetadata } from "./metadata.ts";
import { parsePreprocessing } from "./preprocessing.ts";
import { parseReferenceStats } from "./reference-stats.ts";
import { parseSignature } from "./signature.ts";

/** The objects of a bundle under its prefix. metadata.json is written last: its presence means the rest is there. */
export const BUNDLE_FILES = {
  model: "model.json",
  weights: "weights.bin",
  preprocessing: "preprocessing.json",
  signature: "signature.json",
  referenceStats: "reference-stats.json",
  metadata: "metadata.json",
} as const;

/** The model in tfjs's own layers-model format: model.json (topology + weights manifest) and one weights file. */
export interface SerializedModel {
  modelJson: tf.io.ModelJSON;
  weights: Buffer;
}

export async function serializeModel(model: tf.LayersModel): Promise<SerializedModel> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  if (!captured?.modelTopology || !captured.weightSpecs || captured.weightData === undefined) {
    throw new Error("tfjs saved no topology or weights for the model");
  }
  const modelJson: tf.io.ModelJSON = {
    modelTopology: captured.modelTopology,
    format: captured.format ?? "layers-model",
    generatedBy: captured.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: captured.convertedBy ?? null,
    weightsManifest: [{ paths: [BUNDLE_FILES.weights], weights: captured.weightSpecs }],
  };
  return { modelJson, weights: Buffer.from(tf.io.CompositeArrayBuffer.join(captured.weightData)) };
}

/** Writes the bundle's six objects under `prefix` (for example `models/<dataset>/<runId>`); returns their keys. */
export async function saveBundle(store: ArtifactStore, prefix: string, bundle: ModelBundle): Promise<string[]> {
  const { modelJson, weights } = await serializeModel(bundle.model);
  const json = (value: unknown) => ({ body: JSON.stringify(value), contentType: "application/json" });
  const objects: [string, { body: string | Buffer; contentType: string }][] = [
    [BUNDLE_FILES.weights, { body: weights, contentType: "application/octet-stream" }],
    [BUNDLE_FILES.model, json(modelJson)],
    [BUNDLE_FILES.preprocessing, json(bundle.preprocessing)],
    [BUNDLE_FILES.signature, json(bundle.signature)],
    [BUNDLE_FILES.referenceStats, json(bundle.referenceStats)],
    [BUNDLE_FILES.metadata, json(bundle.metadata)],
  ];
  const keys: string[] = [];
  for (const [file, { body, contentType }] of objects) {
    const key = `${prefix}/${file}`;
    await store.put(key, body, { contentType });
    keys.push(key);
  }
  return keys;
}

/**
 * Reads a bundle back. A missing object throws ArtifactMissingError, an unreadable one ArtifactCorruptError;
 * both name the key.
 */
export async function loadBundle(store: ArtifactStore, prefix: string): Promise<ModelBundle> {
  const keyOf = (file: string) => `${prefix}/${file}`;
  const metadata = parseWith(
    keyOf(BUNDLE_FILES.metadata),
    await readJson(store, keyOf(BUNDLE_FILES.metadata)),
    parseMetadata,
  );
  const preprocessing = parseWith(
    keyOf(BUNDLE_FILES.preprocessing),
    await readJson(store, keyOf(BUNDLE_FILES.preprocessing)),
    parsePreprocessing,
  );
  const signature = parseWith(
    keyOf(BUNDLE_FILES.signature),
    await readJson(store, keyOf(BUNDLE_FILES.signature)),
    parseSignature,
  );
  const referenceStats = parseWith(
    keyOf(BUNDLE_FILES.referenceStats),
    await readJson(store, keyOf(BUNDLE_FILES.referenceStats)),
    parseReferenceStats,
  );
  const model = await loadModel(store, keyOf(BUNDLE_FILES.model), keyOf(BUNDLE_FILES.weights));
  const inputWidth = model.inputs[0]?.shape[1];
  if (inputWidth !== preprocessing.features.length) {
    model.dispose();
    throw new ArtifactCorruptError(
      keyOf(BUNDLE_FILES.model),
      `the model reads ${inputWidth} features, preprocessing.json makes ${preprocessing.features.length}`,
    );
  }
  return { model, preprocessing, signature, referenceStats, metadata };
}

async function loadModel(store: ArtifactStore, modelKey: string, weightsKey: string): Promise<tf.LayersModel> {
  const modelJson = (await readJson(store, modelKey)) as Partial<tf.io.ModelJSON> | null;
  const weightSpecs = modelJson?.weightsManifest?.flatMap((group) => group.weights);
  if (!modelJson?.modelTopology || !weightSpecs) {
    throw new ArtifactCorruptError(modelKey, "no modelTopology or weightsManifest: not a tfjs layers model");
  }
  const weights = await readObject(store, weightsKey);
  const expected = weightSpecs.reduce((sum, spec) => sum + byteSize(spec), 0);
  if (weights.byteLength !== expected) {
    throw new ArtifactCorruptError(weightsKey, `${weights.byteLength} bytes where the manifest needs ${expected}`);
  }
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  try {
    return await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs, weightData }),
    );
  } catch (error) {
    throw new ArtifactCorruptError(modelKey, error instanceof Error ? error.message : String(error), { cause: error });
  }
}

function byteSize(spec: tf.io.WeightsManifestEntry): number {
  const bytesPerValue = spec.dtype === "bool" ? 1 : 4;
  return spec.shape.reduce((product, size) => product * size, 1) * bytesPerValue;
}

export async function readObject(store: ArtifactStore, key: string): Promise<Buffer> {
  try {
    return await store.getBuffer(key);
  } catch (error) {
    if (error instanceof ObjectNotFoundError) throw new ArtifactMissingError(store.bucket, key, { cause: error });
    throw error;
  }
}

export async function readJson(store: ArtifactStore, key: string): Promise<unknown> {
  const body = await readObject(store, key);
  try {
    return JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw new ArtifactCorruptError(key, `not JSON (${(error as Error).message})`, { cause: error });
  }
}

export function parseWith<T>(key: string, json: unknown, parse: (json: unknown) => T): T {
  try {
    return parse(json);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/\s+/g, " ").slice(0, 500) : String(error);
    throw new ArtifactCorruptError(key, reason, { cause: error });
  }
}
