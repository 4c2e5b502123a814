import { type AnyBundle, isOnnxBundle, type ModelBundle, type OnnxBundle, runOnnx } from "@gyre/model";
import * as tf from "@tensorflow/tfjs";

/** What a model gives for N rows: probabilities [N, C] row-major, or values [N]. */
export type ModelOutput =
  | { kind: "classification"; classes: string[]; probabilities: Float32Array }
  | { kind: "regression"; values: Float32Array };

/** Runs a bundle's model on preprocessed [N, F] float32 rows: synchronously (tfjs) or not (onnxruntime). */
export interface ModelRunner {
  readonly width: number;
  /** Output columns per row: the class count, or 1. */
  readonly outputWidth: number;
  run(x: Float32Array, rows: number): ModelOutput | Promise<ModelOutput>;
}

/** Rows per model call, as @gyre/model's predict() does, so an answer never depends on how requests were split. */
const PREDICT_BATCH = 4096;

/**
 * The bundle's layers applied in order to a concrete tensor: the same kernels as `model.predict` (each Dense layer
 * is one fused matMul + bias + activation), without the symbolic-execution overhead of predict, which is most of
 * the time for a small model. A two-class sigmoid output is expanded to [1 − p, p], as predict() does.
 */
export function createRunner(bundle: AnyBundle): ModelRunner {
  return isOnnxBundle(bundle) ? onnxRunner(bundle) : tfjsRunner(bundle);
}

/**
 * An external model through onnxruntime-node (CPU): the [N, F] rows split into one [N] or [N, 1] input per column;
 * its `probabilities` [N, C] or `value` [N] as they are. onnxruntime runs on its own threads, so a batch does not
 * block the event loop.
 */
function onnxRunner(bundle: OnnxBundle): ModelRunner {
  const label = bundle.preprocessing.label;
  const classes = label.kind === "classification" ? label.classes : [];
  return {
    width: bundle.preprocessing.features.length,
    outputWidth: label.kind === "classification" ? classes.length : 1,
    async run(x, rows) {
      const values = await runOnnx(bundle, x, rows);
      return label.kind === "regression"
        ? { kind: "regression", values }
        : { kind: "classification", classes, probabilities: values };
    },
  };
}

function tfjsRunner(bundle: ModelBundle): ModelRunner {
  const layers = bundle.model.layers.filter((layer) => layer.getClassName() !== "InputLayer");
  const width = bundle.preprocessing.features.length;
  const label = bundle.preprocessing.label;
  const classes = label.kind === "classification" ? label.classes : [];
  const outputWidth = label.kind === "classification" ? classes.length : 1;

  const forward = (x: Float32Array, rows: number): Float32Array => {
    const result = tf.tidy(() => {
      let hidden: tf.Tensor = tf.tensor2d(x, [rows, width], "float32");
      for (const layer of layers) hidden = layer.apply(hidden) as tf.Tensor;
      return hidden;
    });
    try {
      return result.dataSync() as Float32Array;
    } finally {
      result.dispose();
    }
  };

  const modelOutput = (x: Float32Array, rows: number): Float32Array => {
    if (rows <= PREDICT_BATCH) return forward(x, rows);
    const columns = layers.at(-1)?.outputShape.at(-1) as number;
    const output = new Float32Array(rows * columns);
    for (let start = 0; start < rows; start += PREDICT_BATCH) {
      const count = Math.min(PREDICT_BATCH, rows - start);
      output.set(forward(x.subarray(start * width, (start + count) * width), count), start * columns);
    }
    return output;
  };

  return {
    width,
    outputWidth,
    run(x, rows) {
      const values = modelOutput(x, rows);
      if (label.kind === "regression") return { kind: "regression", values };
      if (values.length === rows * classes.length) return { kind: "classification", classes, probabilities: values };
      const probabilities = new Float32Array(rows * 2);
      for (let row = 0; row < rows; row++) {
        const p = values[row] as number;
        probabilities[row * 2] = 1 - p;
        probabilities[row * 2 + 1] = p;
      }
      return { kind: "classification", classes, probabilities };
    },
  };
}
