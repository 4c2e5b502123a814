import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../src/backend.ts";

const choice = await selectBackend(process.argv[2]);
console.log(choice.name, choice.tfjsVersion, choice.skipped);
for (const [rows, feats, units, epochs] of [
  [1200, 7, 16, 30],
  [50000, 8, 32, 3],
] as const) {
  const x = tf.randomNormal([rows, feats], 0, 1, "float32", 1);
  const y = tf.oneHot(tf.randomUniform([rows], 0, 5, "int32", 2), 5);
  const m = tf.sequential({
    layers: [
      tf.layers.dense({
        units,
        activation: "relu",
        inputShape: [feats],
        kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
      }),
      tf.layers.dense({
        units: 5,
        activation: "softmax",
        kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }),
      }),
    ],
  });
  m.compile({ optimizer: tf.train.adam(0.01), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  const t0 = performance.now();
  await m.fit(x, y, { epochs, batchSize: 64, shuffle: false, verbose: 0 });
  console.log(JSON.stringify({ backend: choice.name, rows, units, epochs, ms: Math.round(performance.now() - t0) }));
}
