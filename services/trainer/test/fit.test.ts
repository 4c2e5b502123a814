import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  buildModel,
  deriveSeed,
  type LabelEncoding,
  mulberry32,
  permutation,
  sampleWithoutReplacement,
  selectBackend,
  serializeModel,
} from "@gyre/model";
import * as tf from "@tensorflow/tfjs";
import { fitSeeded } from "../src/fit.ts";

before(async () => {
  await selectBackend(process.env.TFJS_BACKEND);
});

const label: LabelEncoding = { name: "y", kind: "classification", classes: ["no", "yes"] };
const modelSpec = {
  kind: "mlp-classifier" as const,
  layers: [{ units: 4, activation: "relu" as const }],
  epochs: 20,
  batchSize: 8,
  learningRate: 0.05,
};

/** y = [x0 > 0] one-hot; `flip` swaps the classes, so learning one set makes the other's loss rise. */
function data(rows: number, seed: number, flip: boolean) {
  const random = mulberry32(seed);
  const x = Array.from({ length: rows }, () => [random() * 2 - 1, random() * 2 - 1]);
  const y = x.map(([x0]) => ((x0 as number) > 0 !== flip ? [0, 1] : [1, 0]));
  return { x: tf.tensor2d(x), y: tf.tensor2d(y) };
}

describe("seeded epoch loop", () => {
  test("early stopping stops after `patience` epochs without improvement and restores the best epoch's weights", async () => {
    const train = data(64, 1, false);
    const validation = data(32, 2, true);
    const { model } = buildModel(modelSpec, label, 2, 42);
    const weightsAt = new Map<number, Buffer>();
    const result = await fitSeeded(model, train.x, train.y, {
      epochs: 20,
      batchSize: 8,
      seed: 42,
      metric: { key: "acc", name: "accuracy" },
      validation,
      earlyStopping: { patience: 2, minDelta: 0 },
      onEpoch: async (log) => {
        weightsAt.set(log.epoch, (await serializeModel(model)).weights);
      },
    });
    try {
      assert.ok(result.stoppedEarly, `ran all ${result.history.length} epochs`);
      assert.equal(result.history.length, result.bestEpoch + 2);
      const best = Math.min(...result.history.map((log) => log.valLoss as number));
      assert.equal(result.history[result.bestEpoch - 1]?.valLoss, best);
      const final = (await serializeModel(model)).weights;
      assert.ok(final.equals(weightsAt.get(result.bestEpoch) as Buffer), "weights are not those of the best epoch");
      assert.ok(!final.equals(weightsAt.get(result.history.length) as Buffer));
    } finally {
      model.dispose();
      tf.dispose([train.x, train.y, validation.x, validation.y]);
    }
  });

  test("without early stopping it runs every epoch and ignores a validation set", async () => {
    const train = data(32, 3, false);
    const { model } = buildModel(modelSpec, label, 2, 42);
    const result = await fitSeeded(model, train.x, train.y, {
      epochs: 3,
      batchSize: 8,
      seed: 1,
      metric: { key: "acc", name: "accuracy" },
      validation: train,
    });
    try {
      assert.deepEqual(
        result.history.map((log) => [log.epoch, log.valLoss]),
        [
          [1, null],
          [2, null],
          [3, null],
        ],
      );
      assert.equal(result.bestEpoch, 3);
      assert.equal(result.stoppedEarly, false);
    } finally {
      model.dispose();
      tf.dispose([train.x, train.y]);
    }
  });
});

describe("seeded randomness", () => {
  test("the same seed gives the same permutation and another seed another", () => {
    const a = permutation(100, mulberry32(deriveSeed(42, "shuffle", 1)));
    const b = permutation(100, mulberry32(deriveSeed(42, "shuffle", 1)));
    const c = permutation(100, mulberry32(deriveSeed(42, "shuffle", 2)));
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    assert.deepEqual(
      [...a].sort((x, y) => x - y),
      Array.from({ length: 100 }, (_, i) => i),
    );
  });

  test("derived seeds keep their parts apart", () => {
    assert.notEqual(deriveSeed(1, "23"), deriveSeed(12, "3"));
    assert.notEqual(deriveSeed(42, "kernel", 1), deriveSeed(42, "kernel", 2));
    assert.equal(deriveSeed(42, "kernel", 1), deriveSeed(42, "kernel", 1));
  });

  test("a sample keeps every item when there are fewer than asked for", () => {
    assert.deepEqual(sampleWithoutReplacement([3, 1, 2], 10, mulberry32(1)), [3, 1, 2]);
    assert.equal(
      new Set(
        sampleWithoutReplacement(
          Array.from({ length: 50 }, (_, i) => i),
          10,
          mulberry32(1),
        ),
      ).size,
      10,
    );
  });
});
