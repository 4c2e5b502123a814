import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  type BackendChoice,
  disposeBundle,
  evaluate,
  type FeatureRow,
  selectBackend,
  serializeModel,
  TrainingInputError,
} from "@gyre/model";
import { type EpochLog, progressMetrics } from "../src/fit.ts";
import { trainModel } from "../src/train.ts";
import { seattleWeatherRows, seattleWeatherSpec, timeSplit, withModel } from "./seattle-weather.ts";

const spec = seattleWeatherSpec();
const { trainRows, holdoutRows } = timeSplit(seattleWeatherRows());
let backend: BackendChoice;

before(async () => {
  backend = await selectBackend(process.env.TFJS_BACKEND);
});

/** Accuracy of always answering the holdout's own most frequent class: the best any constant can do. */
function majorityBaseline(rows: readonly FeatureRow[]): { weather: string; accuracy: number } {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.weather as string, (counts.get(row.weather as string) ?? 0) + 1);
  const [weather, count] = [...counts].sort((a, b) => b[1] - a[1])[0] as [string, number];
  return { weather, accuracy: count / rows.length };
}

function isInputError(problem: TrainingInputError["problem"], value: unknown, message: RegExp) {
  return (error: unknown) =>
    error instanceof TrainingInputError &&
    error.problem === problem &&
    error.value === value &&
    message.test(error.message);
}

describe("training a seattle-weather classifier", () => {
  test("beats the majority-class baseline on the time-based holdout, and a one-epoch one-unit model scores lower", async () => {
    const epochs: EpochLog[] = [];
    const good = await trainModel({
      spec: withModel(spec, { epochs: 25 }),
      trainRows,
      holdoutRows,
      onEpoch: (log) => {
        epochs.push(log);
      },
    });
    const worse = await trainModel({
      spec: withModel(spec, { epochs: 1, layers: [{ units: 1, activation: "relu" }] }),
      trainRows,
      holdoutRows,
    });
    const baseline = majorityBaseline(holdoutRows);
    try {
      const accuracy = good.metrics.accuracy as number;
      assert.ok(
        accuracy >= baseline.accuracy + 0.15,
        `accuracy ${accuracy} vs always-"${baseline.weather}" ${baseline.accuracy}`,
      );
      assert.ok((worse.metrics.accuracy as number) < accuracy, `worse ${worse.metrics.accuracy} vs ${accuracy}`);
      assert.ok((worse.metrics.log_loss as number) > (good.metrics.log_loss as number));
      assert.ok(
        (good.metrics.macro_f1 as number) > 0 && good.metrics.roc_auc === undefined,
        "five classes: no ROC AUC",
      );

      // One progress callback per epoch run, with validation loss (the spec has early stopping).
      assert.equal(epochs.length, good.epochs.length);
      assert.deepEqual(
        epochs.map((log) => log.epoch),
        epochs.map((_, index) => index + 1),
      );
      assert.ok(epochs.every((log) => log.metric === "accuracy" && Number.isFinite(log.loss) && log.valLoss !== null));
      assert.deepEqual(Object.keys(progressMetrics(epochs[0] as EpochLog)), [
        "loss",
        "val_loss",
        "accuracy",
        "val_accuracy",
      ]);
      const meta = good.bundle.metadata;
      assert.equal(meta.backend, backend.name);
      assert.equal(good.backend, backend.name);
      assert.equal(meta.rows.train + meta.rows.validation, trainRows.length);
      assert.equal(meta.rows.holdout, holdoutRows.length);
      assert.deepEqual(meta.metrics, good.metrics);
      if (meta.epochs.stoppedEarly) assert.ok(meta.epochs.best < meta.epochs.run);
    } finally {
      disposeBundle(good.bundle);
      disposeBundle(worse.bundle);
    }
  });

  test("two runs with the same seed on the same backend give byte-identical weights; another seed does not", async () => {
    const small = withModel(spec, { epochs: 4 });
    const runs = [
      await trainModel({ spec: small, trainRows, holdoutRows }),
      await trainModel({ spec: small, trainRows, holdoutRows }),
      await trainModel({ spec: small, trainRows, holdoutRows, seed: 7 }),
    ];
    try {
      const [first, second, otherSeed] = await Promise.all(runs.map((run) => serializeModel(run.bundle.model)));
      assert.ok(first && second && otherSeed);
      assert.ok(first.weights.byteLength > 0);
      assert.ok(first.weights.equals(second.weights), "same seed: weights differ");
      assert.deepEqual(first.modelJson, second.modelJson);
      assert.deepEqual(runs[0]?.metrics, runs[1]?.metrics);
      assert.ok(!first.weights.equals(otherSeed.weights), "another seed gave the same weights");
    } finally {
      for (const run of runs) disposeBundle(run.bundle);
    }
  });

  test("fits the scaler on the training rows only, whatever the holdout holds", async () => {
    // A holdout 30 °C hotter: had the scaler seen it, the fitted mean would move by about 6 °C.
    const hotHoldout = holdoutRows.map((row) => ({ ...row, temp_max: (row.temp_max as number) + 30 }));
    const run = await trainModel({ spec: withModel(spec, { epochs: 1 }), trainRows, holdoutRows: hotHoldout });
    try {
      const tempMax = run.bundle.preprocessing.columns.find((column) => column.name === "temp_max");
      assert.ok(tempMax && tempMax.type !== "categorical");
      const trainingMean = trainRows.reduce((sum, row) => sum + (row.temp_max as number), 0) / trainRows.length;
      assert.ok(
        Math.abs(tempMax.mean - trainingMean) < 1e-9,
        `scaler mean ${tempMax.mean}, training mean ${trainingMean}`,
      );
      const referenceTempMax = run.bundle.referenceStats.columns.find((column) => column.name === "temp_max");
      assert.ok(referenceTempMax?.kind === "numeric" && referenceTempMax.count === trainRows.length);
      assert.ok(Math.abs(referenceTempMax.mean - trainingMean) < 1e-9);
    } finally {
      disposeBundle(run.bundle);
    }
  });

  test("evaluates a champion on the holdout with its own preprocessing, as the candidate was", async () => {
    const run = await trainModel({ spec: withModel(spec, { epochs: 2 }), trainRows, holdoutRows });
    try {
      assert.deepEqual(evaluate(run.bundle, holdoutRows).metrics, run.metrics);
      // A class the champion never knew counts as wrong, rather than failing the comparison.
      const renamed = holdoutRows.map((row, index) => (index === 0 ? { ...row, weather: "hail" } : row));
      const evaluation = evaluate(run.bundle, renamed);
      assert.equal(evaluation.unknownClass, 1);
      assert.equal(evaluation.rows, holdoutRows.length);
    } finally {
      disposeBundle(run.bundle);
    }
  });
});

describe("other model kinds", () => {
  test("a logistic model on two classes outputs two probabilities per row and reports ROC AUC", async () => {
    const rainy = (rows: readonly FeatureRow[]) =>
      rows.map((row) => ({ ...row, wet: row.weather === "rain" || row.weather === "drizzle" ? "yes" : "no" }));
    const binary = {
      ...spec,
      label: { name: "wet", type: "categorical" as const, classes: ["no", "yes"] },
      model: { ...spec.model, kind: "logistic" as const, layers: [], epochs: 5 },
    };
    const run = await trainModel({ spec: binary, trainRows: rainy(trainRows), holdoutRows: rainy(holdoutRows) });
    try {
      assert.equal(
        run.bundle.signature.output.kind === "classification" && run.bundle.signature.output.activation,
        "sigmoid",
      );
      assert.ok((run.metrics.roc_auc as number) > 0.7, `roc_auc ${run.metrics.roc_auc}`);
    } finally {
      disposeBundle(run.bundle);
    }
  });

  test("an MLP regressor predicting temp_max reports RMSE and MAE below the spread of the label", async () => {
    const { temp_max: _, ...features } = Object.fromEntries(spec.features.map((feature) => [feature.name, feature]));
    const regression = {
      ...spec,
      features: Object.values(features),
      label: { name: "temp_max", type: "numeric" as const },
      transforms: spec.transforms.filter((transform) => transform.kind !== "lag"),
      model: { ...spec.model, kind: "mlp-regressor" as const, epochs: 5 },
    };
    const run = await trainModel({ spec: regression, trainRows, holdoutRows });
    try {
      const values = holdoutRows.map((row) => row.temp_max as number);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const spread = Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length);
      assert.ok((run.metrics.rmse as number) < spread, `rmse ${run.metrics.rmse} vs std ${spread}`);
      assert.ok((run.metrics.mae as number) <= (run.metrics.rmse as number));
      assert.equal(run.bundle.signature.output.kind, "regression");
    } finally {
      disposeBundle(run.bundle);
    }
  });
});

describe("training input that cannot make a model", () => {
  const quick = withModel(spec, { epochs: 1 });
  const cases: { name: string; input: () => Parameters<typeof trainModel>[0]; check: (error: unknown) => boolean }[] = [
    {
      name: "zero training rows",
      input: () => ({ spec: quick, trainRows: [], holdoutRows }),
      check: isInputError("no-training-rows", 0, /training set has no rows/),
    },
    {
      name: "a single class in the training labels",
      input: () => ({ spec: quick, trainRows: trainRows.map((row) => ({ ...row, weather: "sun" })), holdoutRows }),
      check: isInputError("single-class", "sun", /all 1169 training labels of "weather" are "sun"/),
    },
    {
      name: "the label column missing from the rows",
      input: () => ({ spec: quick, trainRows: trainRows.map(({ weather: _, ...row }) => row), holdoutRows }),
      check: isInputError("label-missing", "weather", /label column "weather" is missing from all 1169 training rows/),
    },
    {
      name: "a model input column missing from the rows",
      input: () => ({ spec: quick, trainRows: trainRows.map(({ wind: _, ...row }) => row), holdoutRows }),
      check: isInputError("feature-missing", "wind", /model input column "wind" is missing/),
    },
    {
      name: "a label outside the spec's classes",
      input: () => ({
        spec: quick,
        trainRows: [...trainRows.slice(0, 10), { ...trainRows[10], weather: "hail" }],
        holdoutRows,
      }),
      check: isInputError(
        "unknown-class",
        "hail",
        /row 10: label "weather" is "hail", which is not one of the spec's classes/,
      ),
    },
    {
      name: "a string in a numeric column",
      input: () => ({
        spec: quick,
        trainRows: trainRows.map((row, i) => (i === 5 ? { ...row, wind: "calm" } : row)),
        holdoutRows,
      }),
      check: isInputError("bad-feature-value", "calm", /row 5, column "wind": "calm" is not a number/),
    },
    {
      name: "a holdout without labels",
      input: () => ({ spec: quick, trainRows, holdoutRows: holdoutRows.map((row) => ({ ...row, weather: null })) }),
      check: isInputError("no-holdout-rows", holdoutRows.length, /the holdout has no rows with a label "weather"/),
    },
    {
      name: "a regressor for a categorical label",
      input: () => ({ spec: withModel(spec, { kind: "mlp-regressor" }), trainRows, holdoutRows }),
      check: isInputError("model-label-mismatch", "mlp-regressor", /needs a numeric label/),
    },
  ];
  for (const { name, input, check } of cases) {
    test(`rejects ${name} with a TrainingInputError`, async () => {
      await assert.rejects(trainModel(input()), check);
    });
  }
});
