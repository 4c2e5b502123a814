import * as tf from "@tensorflow/tfjs";
import type { RunMetadata } from "./metadata.ts";
import { type FeatureRow, type Preprocessing, transformRows } from "./preprocessing.ts";
import type { ReferenceStats } from "./reference-stats.ts";
import type { ModelSignature } from "./signature.ts";

/** A trained model with everything serving, monitoring and the registry need; stored as one artifact prefix. */
export interface ModelBundle {
  model: tf.LayersModel;
  preprocessing: Preprocessing;
  signature: ModelSignature;
  referenceStats: ReferenceStats;
  metadata: RunMetadata;
}

export type Predictions =
  /** Row-major [N, classes.length] class probabilities, in the signature's class order. */
  | { kind: "classification"; classes: string[]; probabilities: Float32Array }
  | { kind: "regression"; values: Float32Array };

const PREDICT_BATCH = 4096;

/** Rows in, the model's outputs out, through the bundle's own preprocessing. */
export function predict(bundle: ModelBundle, rows: readonly FeatureRow[]): Predictions {
  const width = bundle.preprocessing.features.length;
  const raw = tf.tidy(() => {
    const input = tf.tensor2d(transformRows(bundle.preprocessing, rows), [rows.length, width], "float32");
    // tfjs predicts in batches of 32 by default: far too many calls for a holdout of thousands of rows.
    return bundle.model.predict(input, { batchSize: PREDICT_BATCH }) as tf.Tensor;
  });
  try {
    const values = raw.dataSync() as Float32Array;
    const label = bundle.preprocessing.label;
    if (label.kind === "regression") return { kind: "regression", values: Float32Array.from(values) };
    if (raw.shape[1] === label.classes.length) {
      return { kind: "classification", classes: label.classes, probabilities: Float32Array.from(values) };
    }
    // A sigmoid output holds p(class 1) of two classes.
    const probabilities = new Float32Array(rows.length * 2);
    values.forEach((p, row) => {
      probabilities[row * 2] = 1 - p;
      probabilities[row * 2 + 1] = p;
    });
    return { kind: "classification", classes: label.classes, probabilities };
  } finally {
    raw.dispose();
  }
}

/** Frees the model's tensors; a bundle is unusable afterwards. */
export function disposeBundle(bundle: ModelBundle): void {
  bundle.model.dispose();
}
