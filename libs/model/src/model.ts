import type { DatasetSpec } from "@gyre/spec";
import * as tf from "@tensorflow/tfjs";
import { TrainingInputError } from "./errors.ts";
import type { LabelEncoding } from "./preprocessing.ts";
import { deriveSeed } from "./random.ts";

type ModelSpec = DatasetSpec["model"];

/** How the output layer reads: class probabilities (softmax over C, or sigmoid for class 1 of 2) or a value. */
export type OutputActivation = "softmax" | "sigmoid" | "linear";

/** Layer names are fixed, so two runs write the same model.json and weight names. */
export const INPUT_NAME = "features";
const OUTPUT_LAYER = "output";

export interface BuiltModel {
  model: tf.Sequential;
  output: OutputActivation;
  /** The name of the per-epoch metric as reported by tfjs ("acc" for accuracy, "mae"). */
  metricKey: string;
}

/**
 * A compiled tf.Sequential for the spec's model section:
 * - mlp-classifier: the spec's hidden layers, then softmax over the classes, categorical cross-entropy;
 * - mlp-regressor: the hidden layers, then one linear unit (bias starting at the training label mean), MSE;
 * - logistic: no hidden layers; sigmoid with binary cross-entropy for two classes, softmax for more.
 * Every kernel initializer is glorotUniform with its own seed derived from `seed`; biases start at zero.
 * Adam with the spec's learning rate.
 */
export function buildModel(spec: ModelSpec, label: LabelEncoding, featureCount: number, seed: number): BuiltModel {
  checkModelFitsLabel(spec, label);
  const hidden = spec.kind === "logistic" ? [] : spec.layers;
  const model = tf.sequential({ name: "gyre_model" });
  hidden.forEach((layer, index) => {
    model.add(
      tf.layers.dense({
        name: `hidden_${index + 1}`,
        units: layer.units,
        activation: layer.activation,
        kernelInitializer: tf.initializers.glorotUniform({ seed: deriveSeed(seed, "kernel", index + 1) }),
        biasInitializer: "zeros",
        ...(index === 0 ? { inputShape: [featureCount] } : {}),
      }),
    );
  });
  const output = outputActivation(spec, label);
  const units = label.kind === "classification" && output === "softmax" ? label.classes.length : 1;
  model.add(
    tf.layers.dense({
      name: OUTPUT_LAYER,
      units,
      activation: output,
      kernelInitializer: tf.initializers.glorotUniform({ seed: deriveSeed(seed, "kernel", OUTPUT_LAYER) }),
      biasInitializer: label.kind === "regression" ? tf.initializers.constant({ value: label.mean }) : "zeros",
      ...(hidden.length === 0 ? { inputShape: [featureCount] } : {}),
    }),
  );
  model.compile({
    optimizer: tf.train.adam(spec.learningRate),
    loss:
      output === "softmax"
        ? "categoricalCrossentropy"
        : output === "sigmoid"
          ? "binaryCrossentropy"
          : "meanSquaredError",
    metrics: label.kind === "classification" ? ["accuracy"] : ["mae"],
  });
  return { model, output, metricKey: label.kind === "classification" ? "acc" : "mae" };
}

/** Training targets as the model's loss expects them: one-hot [N, C], 0/1 [N, 1] or values [N, 1]. */
export function targetTensor(
  output: OutputActivation,
  targets: Int32Array | Float64Array,
  classCount: number,
): tf.Tensor2D {
  if (output === "softmax") {
    return tf.tidy(
      () => tf.oneHot(tf.tensor1d(Int32Array.from(targets), "int32"), classCount).toFloat() as tf.Tensor2D,
    );
  }
  return tf.tensor2d(Float32Array.from(targets), [targets.length, 1], "float32");
}

function outputActivation(spec: ModelSpec, label: LabelEncoding): OutputActivation {
  if (label.kind === "regression") return "linear";
  return spec.kind === "logistic" && label.classes.length === 2 ? "sigmoid" : "softmax";
}

/** Throws a TrainingInputError when the model kind cannot learn this label (before any row is read). */
export function checkModelFitsLabel(spec: ModelSpec, label: Pick<LabelEncoding, "name" | "kind">): void {
  const wants = spec.kind === "mlp-regressor" ? "regression" : "classification";
  if (wants !== label.kind) {
    const needs = wants === "regression" ? "a numeric label" : "a categorical label with classes";
    throw new TrainingInputError(
      "model-label-mismatch",
      spec.kind,
      `model kind "${spec.kind}" needs ${needs}, but label "${label.name}" is for ${label.kind}`,
    );
  }
  if (spec.kind === "logistic" && spec.layers.length > 0) {
    throw new TrainingInputError(
      "model-layers",
      spec.layers.length,
      `model kind "logistic" has no hidden layers, but the spec lists ${spec.layers.length}: use mlp-classifier, or remove them`,
    );
  }
}
