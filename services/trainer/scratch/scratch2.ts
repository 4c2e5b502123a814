import * as tf from "@tensorflow/tfjs";

tf.enableProdMode();
await tf.setBackend("cpu");
function make() {
  const m = tf.sequential({
    name: "gyre",
    layers: [
      tf.layers.dense({
        name: "hidden_1",
        units: 4,
        activation: "relu",
        inputShape: [3],
        kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
      }),
      tf.layers.dense({
        name: "output",
        units: 2,
        activation: "softmax",
        kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }),
      }),
    ],
  });
  m.compile({ optimizer: tf.train.adam(0.01), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  return m;
}
const a = make(),
  b = make();
const x = tf.randomNormal([100, 3], 0, 1, "float32", 1);
const y = tf.oneHot(tf.randomUniform([100], 0, 2, "int32", 2), 2);
const h = await a.fit(x, y, { epochs: 2, batchSize: 10, shuffle: false, verbose: 0, validationData: [x, y] });
console.log(Object.keys(h.history), a.inputs[0]!.name, a.outputs[0]!.name);
await b.fit(x, y, { epochs: 2, batchSize: 10, shuffle: false, verbose: 0 });
let art: tf.io.ModelArtifacts | undefined;
await a.save(
  tf.io.withSaveHandler(async (m) => {
    art = m;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
  }),
);
console.log(
  JSON.stringify(art!.weightSpecs),
  Array.isArray(art!.weightData),
  JSON.stringify(art!.modelTopology).slice(0, 300),
  Object.keys(art!),
);
let art2: tf.io.ModelArtifacts | undefined;
await b.save(
  tf.io.withSaveHandler(async (m) => {
    art2 = m;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
  }),
);
console.log(JSON.stringify(art2!.weightSpecs));
const r = reg();
function reg() {
  const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [3] })] });
  m.compile({ optimizer: "adam", loss: "meanSquaredError", metrics: ["mae"] });
  return m;
}
const h2 = await r.fit(x, tf.ones([100, 1]), { epochs: 1, verbose: 0, validationData: [x, tf.ones([100, 1])] });
console.log(Object.keys(h2.history));
