import { createHash } from "node:crypto";
import type { ArtifactStore } from "@gyre/artifacts";
import { type DatasetSpec, modelInputColumns } from "@gyre/spec";
import * as ort from "onnxruntime-node";
import { z } from "zod";
import { BUNDLE_FILES, loadBundle, parseWith, readJson, readObject } from "./artifact.ts";
import { disposeBundle, type ModelBundle, type Predictions, predict } from "./bundle.ts";
import { ArtifactCorruptError } from "./errors.ts";
import { type Evaluation, evaluationOf, labelledHoldout } from "./evaluate.ts";
import { labelTarget } from "./labels.ts";
import { METADATA_FORMAT, parseMetadata, type RunMetadata } from "./metadata.ts";
import {
  type FeatureRow,
  featureNames,
  fitPreprocessing,
  PREPROCESSING_FORMAT,
  type Preprocessing,
  parsePreprocessing,
  transformRows,
} from "./preprocessing.ts";
import { parseReferenceStats, referenceStats } from "./reference-stats.ts";
import { buildSignature, parseSignature } from "./signature.ts";

/**
 * External models: ONNX files trained elsewhere (PyTorch, scikit-learn via skl2onnx, ...) that the registry takes
 * in and serving runs with onnxruntime-node (CPU), beside Gyre's own tfjs models.
 *
 * The contract ("preprocessing none"): one ONNX input per model input column of the spec (its features, then its
 * transform outputs), named like the column, float32 of shape [N] or [N, 1] with a dynamic N; values arrive as
 * the client (or the feature store) gives them, a missing value as 0. One output: `probabilities` float32 [N, C]
 * over the spec's classes in spec order for a classifier, `value` float32 [N] or [N, 1] for a regressor — what
 * Gyre's own models answer. Categorical columns need preprocessing the model does not have: a spec with one takes
 * external models with preprocessing "gyre" (one float32 [N, F] input of Gyre's fitted preprocessing; the same
 * output), docs/external-models.md.
 */
export const ONNX_BACKEND = "onnxruntime";
export const EXTERNAL_FORMAT = "gyre.external-model/v1";
export const EXTERNAL_FILES = { onnx: "model.onnx", external: "external.json" } as const;
/**
 * What an external model expects: "none", the spec's raw model inputs one ONNX input each; "gyre", Gyre's own
 * preprocessing (imputation, scaling, one-hot; preprocessing.ts) fitted by the trainer on the training part of the
 * snapshot it scores the model on, as one float32 [N, F] input in the preprocessing's feature order.
 */
export const EXTERNAL_PREPROCESSING = ["none", "gyre"] as const;
export type ExternalPreprocessing = (typeof EXTERNAL_PREPROCESSING)[number];

export function isExternalPreprocessing(value: string): value is ExternalPreprocessing {
  return (EXTERNAL_PREPROCESSING as readonly string[]).includes(value);
}

const externalSchema = z.object({
  format: z.literal(EXTERNAL_FORMAT),
  kind: z.literal("onnx"),
  dataset: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().min(1),
  registeredBy: z.string().min(1),
  registeredAt: z.iso.datetime(),
  reason: z.string(),
  preprocessing: z.enum(EXTERNAL_PREPROCESSING),
  specRevision: z.number().int(),
  /** The ONNX inputs in spec order, with their rank (1: [N], 2: [N, 1]); with "gyre", the one [N, F] input. */
  inputs: z.array(z.object({ name: z.string(), rank: z.union([z.literal(1), z.literal(2)]) })).min(1),
  output: z.object({ name: z.enum(["probabilities", "value"]) }),
});

/** What the registry records of an external model, stored as external.json beside model.onnx. */
export type ExternalModelInfo = z.infer<typeof externalSchema>;

export function parseExternalInfo(json: unknown): ExternalModelInfo {
  return externalSchema.parse(json);
}

/** An ONNX file whose inputs or outputs do not fit the spec; the message lists every mismatch. */
export class OnnxSignatureError extends Error {
  override name = "OnnxSignatureError";
  constructor(
    readonly dataset: string,
    readonly problems: readonly string[],
  ) {
    super(`the ONNX model does not fit the spec of dataset "${dataset}": ${problems.join("; ")}`);
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

async function openSession(bytes: Uint8Array, dataset: string): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(bytes, {
      executionProviders: ["cpu"],
      graphOptimizationLevel: "all",
      intraOpNumThreads: 1,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/\s+/g, " ").slice(0, 300) : String(error);
    throw new OnnxSignatureError(dataset, [`not a model onnxruntime can load (${reason})`]);
  }
}

const isDynamic = (dim: number | string | undefined) => typeof dim === "string" || dim === -1;

/**
 * Checks an ONNX file against a spec: the inputs are exactly the spec's model input columns (numeric, integer or
 * boolean), float32 [N] or [N, 1]; the output is `probabilities` [N, classes] for a classifier or `value` [N] /
 * [N, 1] for a regressor. Throws OnnxSignatureError naming each mismatch; answers the inputs' ranks.
 */
export async function checkOnnxSignature(
  bytes: Uint8Array,
  spec: DatasetSpec,
  preprocessing: ExternalPreprocessing = "none",
): Promise<Pick<ExternalModelInfo, "inputs" | "output">> {
  const session = await openSession(bytes, spec.name);
  try {
    const problems: string[] = [];
    const inputs =
      preprocessing === "gyre" ? checkGyreInput(session, spec, problems) : checkColumnInputs(session, spec, problems);
    const output = checkOutput(session, spec, problems);
    if (problems.length > 0) throw new OnnxSignatureError(spec.name, problems);
    return { inputs, output };
  } finally {
    await session.release();
  }
}

/**
 * The features Gyre's preprocessing makes of the spec's model inputs, in order (known from the spec alone: a
 * scaled column is one feature, a categorical one a feature per category, `<column>=<category>`).
 */
export function gyreFeatureNames(spec: DatasetSpec): string[] {
  return featureNames(
    modelInputColumns(spec).map((column) =>
      column.type === "categorical"
        ? { name: column.name, type: "categorical" as const, categories: column.categories ?? [] }
        : { name: column.name, type: column.type, mean: 0, std: 1 },
    ),
  );
}

/** Preprocessing "gyre": exactly one input, float32 [N, F] with a dynamic N and F = the preprocessing's width. */
function checkGyreInput(
  session: ort.InferenceSession,
  spec: DatasetSpec,
  problems: string[],
): ExternalModelInfo["inputs"] {
  const features = gyreFeatureNames(spec);
  const expected = `float32 [N, ${features.length}] (Gyre's preprocessing of the spec's model inputs makes ${features.length} features: ${features.join(", ")})`;
  if (session.inputMetadata.length !== 1) {
    problems.push(
      `preprocessing "gyre" takes one input, ${expected}; the model has ${session.inputMetadata.length} (${session.inputNames.join(", ")})`,
    );
    return [];
  }
  const input = session.inputMetadata[0] as (typeof session.inputMetadata)[number];
  if (!input.isTensor || input.type !== "float32") {
    problems.push(`input "${input.name}" is ${input.isTensor ? input.type : "not a tensor"}, expected ${expected}`);
    return [];
  }
  const [rows, width] = input.shape;
  if (input.shape.length !== 2 || !isDynamic(rows) || width !== features.length) {
    problems.push(`input "${input.name}" has shape [${input.shape.join(", ")}], expected ${expected}`);
    return [];
  }
  return [{ name: input.name, rank: 2 }];
}

/** Preprocessing "none": one input per model input column, named like it, float32 [N] or [N, 1]. */
function checkColumnInputs(
  session: ort.InferenceSession,
  spec: DatasetSpec,
  problems: string[],
): ExternalModelInfo["inputs"] {
  const columns = modelInputColumns(spec);
  const metadata = new Map(session.inputMetadata.map((input) => [input.name, input]));
  const expected = columns.map((column) => column.name);
  const missing = expected.filter((name) => !metadata.has(name));
  const extra = session.inputNames.filter((name) => !expected.includes(name));
  if (missing.length > 0) {
    problems.push(
      `missing input${missing.length > 1 ? "s" : ""} ${missing.map((n) => JSON.stringify(n)).join(", ")} (the spec's model inputs are ${expected.join(", ")})`,
    );
  }
  for (const name of extra) problems.push(`input "${name}" is not a model input of the spec (${expected.join(", ")})`);
  const inputs: ExternalModelInfo["inputs"] = [];
  for (const column of columns) {
    if (column.type === "categorical") {
      problems.push(
        `input "${column.name}": the column is categorical; preprocessing "none" takes numbers only (register with preprocessing "gyre")`,
      );
    }
    const input = metadata.get(column.name);
    if (input === undefined) continue;
    if (!input.isTensor || input.type !== "float32") {
      problems.push(`input "${column.name}" is ${input.isTensor ? input.type : "not a tensor"}, expected float32`);
      continue;
    }
    const shape = input.shape;
    const rankOk = shape.length === 1 || (shape.length === 2 && shape[1] === 1);
    if (!rankOk || !isDynamic(shape[0])) {
      problems.push(`input "${column.name}" has shape [${shape.join(", ")}], expected [N] or [N, 1] with a dynamic N`);
      continue;
    }
    inputs.push({ name: column.name, rank: shape.length as 1 | 2 });
  }
  return inputs;
}

/** The output Gyre's own models answer: `probabilities` [N, classes] or `value` [N] / [N, 1]. */
function checkOutput(
  session: ort.InferenceSession,
  spec: DatasetSpec,
  problems: string[],
): ExternalModelInfo["output"] {
  const label = labelTarget(spec);
  const outputName = label.kind === "classification" ? "probabilities" : "value";
  const output = session.outputMetadata.find((candidate) => candidate.name === outputName);
  if (output === undefined) {
    problems.push(
      `no output "${outputName}" (the model's outputs: ${session.outputNames.join(", ")}); a ${label.kind} model answers "${outputName}"`,
    );
  } else if (!output.isTensor || output.type !== "float32") {
    problems.push(`output "${outputName}" is ${output.isTensor ? output.type : "not a tensor"}, expected float32`);
  } else if (label.kind === "classification") {
    const [rows, classes] = output.shape;
    if (
      output.shape.length !== 2 ||
      !isDynamic(rows) ||
      (typeof classes === "number" && classes !== label.classes.length)
    ) {
      problems.push(
        `output "probabilities" has shape [${output.shape.join(", ")}], expected [N, ${label.classes.length}] (the classes ${label.classes.join(", ")})`,
      );
    }
  } else if (!(output.shape.length === 1 || (output.shape.length === 2 && output.shape[1] === 1))) {
    problems.push(`output "value" has shape [${output.shape.join(", ")}], expected [N] or [N, 1]`);
  }
  return { name: outputName };
}

/** Preprocessing "none" as a Preprocessing: each column passes as it is (mean 0, std 1; a missing value is 0). */
export function identityPreprocessing(spec: DatasetSpec): Preprocessing {
  const columns = modelInputColumns(spec).map((column) => ({
    name: column.name,
    type: column.type === "categorical" ? ("numeric" as const) : column.type,
    mean: 0,
    std: 1,
  }));
  const label = labelTarget(spec);
  return {
    format: PREPROCESSING_FORMAT,
    columns,
    features: featureNames(columns),
    label:
      label.kind === "classification"
        ? { name: label.name, kind: "classification", classes: [...label.classes] }
        : { name: label.name, kind: "regression", mean: 0, std: 1 },
  };
}

/** An external ONNX model loaded for scoring or serving: the bundle's files, with an onnxruntime session. */
export interface OnnxBundle extends Omit<ModelBundle, "model"> {
  onnx: ort.InferenceSession;
  external: ExternalModelInfo;
  /** Size of model.onnx. */
  modelBytes: number;
}

export type AnyBundle = ModelBundle | OnnxBundle;

export function isOnnxBundle(bundle: AnyBundle): bundle is OnnxBundle {
  return "onnx" in bundle;
}

/**
 * The files that make an external model a complete bundle, written by the trainer when it scores the model:
 * preprocessing.json (identity for "none"; for "gyre", Gyre's preprocessing fitted on `trainRows`, as a training
 * run fits it), signature.json, reference-stats.json (of the snapshot's training rows, for drift)
 * and metadata.json last.
 */
export async function completeExternalBundle(
  store: ArtifactStore,
  prefix: string,
  spec: DatasetSpec,
  external: ExternalModelInfo,
  info: {
    trainRows: readonly FeatureRow[];
    holdoutRows: number;
    snapshotId: string;
    codeVersion: string;
    metrics: Evaluation["metrics"];
  },
): Promise<void> {
  const preprocessing =
    external.preprocessing === "gyre" ? fitPreprocessing(spec, info.trainRows) : identityPreprocessing(spec);
  const columns = modelInputColumns(spec);
  const metadata: RunMetadata = {
    format: METADATA_FORMAT,
    runId: externalRunId(spec.name, external.sha256),
    dataset: spec.name,
    specRevision: external.specRevision,
    snapshotId: info.snapshotId,
    codeVersion: info.codeVersion,
    backend: ONNX_BACKEND,
    tfjsVersion: `onnxruntime-node ${ort.env.versions.node ?? "unknown"}`,
    seed: spec.training.seed,
    params: spec.model,
    epochs: { run: 0, best: 0, stoppedEarly: false },
    rows: { train: 0, validation: 0, holdout: info.holdoutRows },
    metrics: info.metrics,
    durationMs: 0,
    created: new Date().toISOString(),
  };
  const json = (value: unknown) => JSON.stringify(value);
  const files: [string, string][] = [
    [BUNDLE_FILES.preprocessing, json(preprocessing)],
    [BUNDLE_FILES.signature, json(buildSignature(columns, preprocessing, "softmax"))],
    [BUNDLE_FILES.referenceStats, json(referenceStats(columns, labelTarget(spec), info.trainRows, spec.training.seed))],
    [BUNDLE_FILES.metadata, json(metadata)],
  ];
  for (const [file, body] of files) await store.put(`${prefix}/${file}`, body, { contentType: "application/json" });
}

/** The run id an external model is registered under: one per dataset and file content (registering twice is one version). */
export function externalRunId(dataset: string, sha256: string): string {
  return `external-${dataset}-${sha256.slice(0, 32)}`;
}

/** Where the registry stores an external model: `models/<dataset>/external-<sha256 prefix>`. */
export function externalArtifactKey(dataset: string, sha256: string): string {
  return `models/${dataset}/external-${sha256.slice(0, 32)}`;
}

/** Writes model.onnx and external.json under the prefix (the registry's part; the trainer completes the bundle). */
export async function saveExternalModel(
  store: ArtifactStore,
  prefix: string,
  bytes: Uint8Array,
  external: ExternalModelInfo,
): Promise<void> {
  await store.put(`${prefix}/${EXTERNAL_FILES.onnx}`, Buffer.from(bytes), { contentType: "application/octet-stream" });
  await store.put(`${prefix}/${EXTERNAL_FILES.external}`, JSON.stringify(external), {
    contentType: "application/json",
  });
}

/** Reads external.json and model.onnx under the prefix (the part the registry writes). */
export async function readExternalModel(
  store: ArtifactStore,
  prefix: string,
): Promise<{ external: ExternalModelInfo; bytes: Buffer }> {
  const key = `${prefix}/${EXTERNAL_FILES.external}`;
  const external = parseWith(key, await readJson(store, key), parseExternalInfo);
  const bytes = await readObject(store, `${prefix}/${EXTERNAL_FILES.onnx}`);
  if (sha256Hex(bytes) !== external.sha256) {
    throw new ArtifactCorruptError(
      `${prefix}/${EXTERNAL_FILES.onnx}`,
      `sha256 differs from external.json's ${external.sha256}`,
    );
  }
  return { external, bytes };
}

/** Opens an ONNX file the registry stored, checked against its recorded sha256. */
export async function openOnnx(bytes: Uint8Array, dataset: string): Promise<ort.InferenceSession> {
  return openSession(bytes, dataset);
}

/** Loads a complete external bundle. Missing objects: ArtifactMissingError; unreadable: ArtifactCorruptError. */
export async function loadOnnxBundle(store: ArtifactStore, prefix: string): Promise<OnnxBundle> {
  const keyOf = (file: string) => `${prefix}/${file}`;
  const read = async <T>(file: string, parse: (json: unknown) => T) =>
    parseWith(keyOf(file), await readJson(store, keyOf(file)), parse);
  const metadata = await read(BUNDLE_FILES.metadata, parseMetadata);
  const { external, bytes } = await readExternalModel(store, prefix);
  const preprocessing = await read(BUNDLE_FILES.preprocessing, parsePreprocessing);
  const signature = await read(BUNDLE_FILES.signature, parseSignature);
  const stats = await read(BUNDLE_FILES.referenceStats, parseReferenceStats);
  let onnx: ort.InferenceSession;
  try {
    onnx = await openSession(bytes, external.dataset);
  } catch (error) {
    throw new ArtifactCorruptError(keyOf(EXTERNAL_FILES.onnx), (error as Error).message, { cause: error });
  }
  return { onnx, external, modelBytes: bytes.length, preprocessing, signature, referenceStats: stats, metadata };
}

/** A tfjs bundle or an external ONNX one, by metadata.json's backend. */
export async function loadAnyBundle(store: ArtifactStore, prefix: string): Promise<AnyBundle> {
  const key = `${prefix}/${BUNDLE_FILES.metadata}`;
  const metadata = parseWith(key, await readJson(store, key), parseMetadata);
  return metadata.backend === ONNX_BACKEND ? loadOnnxBundle(store, prefix) : loadBundle(store, prefix);
}

export function disposeAnyBundle(bundle: AnyBundle): void {
  if (isOnnxBundle(bundle)) void bundle.onnx.release().catch(() => undefined);
  else disposeBundle(bundle);
}

/**
 * Runs an external model on [N, F] float32 rows in the preprocessing's feature order (one column per input): the
 * probabilities [N, C] row-major or the values [N].
 */
export async function runOnnx(bundle: OnnxBundle, x: Float32Array, rows: number): Promise<Float32Array> {
  const feeds: Record<string, ort.Tensor> = {};
  if (bundle.external.preprocessing === "gyre") {
    // the rows as they are: Gyre's preprocessing made them
    const [input] = bundle.external.inputs;
    if (input === undefined) throw new Error("the external model records no input");
    feeds[input.name] = new ort.Tensor("float32", x, [rows, bundle.preprocessing.features.length]);
  } else {
    const width = bundle.external.inputs.length;
    bundle.external.inputs.forEach((input, index) => {
      const column = new Float32Array(rows);
      for (let row = 0; row < rows; row++) column[row] = x[row * width + index] as number;
      feeds[input.name] = new ort.Tensor("float32", column, input.rank === 1 ? [rows] : [rows, 1]);
    });
  }
  const results = await bundle.onnx.run(feeds);
  const output = results[bundle.external.output.name];
  try {
    if (output === undefined || !(output.data instanceof Float32Array)) {
      throw new Error(`the ONNX model gave no float32 "${bundle.external.output.name}"`);
    }
    const expected =
      rows * (bundle.preprocessing.label.kind === "classification" ? bundle.preprocessing.label.classes.length : 1);
    if (output.data.length !== expected) {
      throw new Error(`the ONNX model gave ${output.data.length} values for ${rows} rows, expected ${expected}`);
    }
    return Float32Array.from(output.data);
  } finally {
    for (const tensor of Object.values(results)) tensor.dispose();
  }
}

/** Rows in, predictions out, for either kind of bundle. */
export async function predictAny(bundle: AnyBundle, rows: readonly FeatureRow[]): Promise<Predictions> {
  if (!isOnnxBundle(bundle)) return predict(bundle, rows);
  const values = await runOnnx(bundle, transformRows(bundle.preprocessing, rows), rows.length);
  const label = bundle.preprocessing.label;
  return label.kind === "classification"
    ? { kind: "classification", classes: label.classes, probabilities: values }
    : { kind: "regression", values };
}

/** evaluate() for either kind of bundle: the same labels, rows and metrics. */
export async function evaluateAny(bundle: AnyBundle, holdoutRows: readonly FeatureRow[]): Promise<Evaluation> {
  const holdout = labelledHoldout(bundle.preprocessing.label, holdoutRows);
  return evaluationOf(holdout, await predictAny(bundle, holdout.rows));
}
