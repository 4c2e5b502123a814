import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../src/backend.ts";

const b = await selectBackend(process.argv[2]);
tf.enableProdMode();
const units = JSON.parse(process.argv[3]!) as number[];
const batchSize = Number(process.argv[4]);
const rows = 50000,
  feats = 12;
const x = tf.randomNormal([rows, feats], 0, 1, "float32", 1);
const y = tf.oneHot(tf.randomUniform([rows], 0, 5, "int32", 2), 5).toFloat();
const m = tf.sequential();
units.forEach((u, i) =>
  m.add(tf.layers.dense({ units: u, activation: "relu", ...(i === 0 ? { inputShape: [feats] } : {}) })),
);
m.add(tf.layers.dense({ units: 5, activation: "softmax" }));
m.compile({ optimizer: tf.train.adam(0.01), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
await m.fit(x.slice(0, 1000), y.slice(0, 1000), { epochs: 1, batchSize, verbose: 0 });
const t0 = performance.now();
const c0 = process.cpuUsage();
await m.fit(x, y, { epochs: 1, batchSize, shuffle: false, verbose: 0 });
const c = process.cpuUsage(c0);
console.log(
  JSON.stringify({
    backend: b.name,
    units,
    batchSize,
    ms: Math.round(performance.now() - t0),
    cpuMs: Math.round((c.user + c.system) / 1000),
  }),
);
