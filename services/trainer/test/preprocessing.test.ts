import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  encodeLabels,
  type FeatureRow,
  fitPreprocessing,
  histogram,
  InvalidFeatureValueError,
  labelTarget,
  PREPROCESSING_FORMAT,
  parsePreprocessing,
  quantileSorted,
  referenceStats,
  TrainingInputError,
  transformRows,
  UNKNOWN_CLASS,
} from "@gyre/model";
import { type DatasetSpecInput, modelInputColumns, validateDatasetSpec } from "@gyre/spec";

function smallSpec(overrides: Partial<DatasetSpecInput> = {}) {
  return validateDatasetSpec({
    name: "tiny",
    eventTime: "at",
    features: [
      { name: "at", type: "timestamp" },
      { name: "size", type: "numeric", nullable: true },
      { name: "colour", type: "categorical", categories: ["red", "green", "blue"] },
      { name: "count", type: "integer" },
      { name: "fresh", type: "boolean" },
    ],
    label: { name: "kind", type: "categorical", classes: ["a", "b"] },
    training: {},
    model: { kind: "mlp-classifier", layers: [{ units: 4 }] },
    promotion: { metric: "accuracy" },
    ...overrides,
  });
}

const trainRows: FeatureRow[] = [
  { at: "2024-01-01T00:00:00Z", size: 1, colour: "red", count: 10, fresh: true, kind: "a" },
  { at: "2024-01-02T00:00:00Z", size: 2, colour: "green", count: 20, fresh: false, kind: "b" },
  { at: "2024-01-03T00:00:00Z", size: 3, colour: "blue", count: 30, fresh: true, kind: "a" },
  { at: "2024-01-04T00:00:00Z", size: null, colour: "red", count: 40, fresh: true, kind: "b" },
];

describe("preprocessing", () => {
  const spec = smallSpec();
  const preprocessing = fitPreprocessing(spec, trainRows);

  test("lists features in model input order, one per scaled column and one per category", () => {
    assert.deepEqual(preprocessing.features, ["size", "colour=red", "colour=green", "colour=blue", "count", "fresh"]);
  });

  test("fits mean and population std on the present training values", () => {
    // size: 1, 2, 3 (one missing) → mean 2, population variance 2/3; count: 10..40 → mean 25, variance 125;
    // fresh: 3 of 4 true → mean 0.75, variance 0.1875.
    const expected = [
      { name: "size", mean: 2, std: Math.sqrt(2 / 3) },
      { name: "count", mean: 25, std: Math.sqrt(125) },
      { name: "fresh", mean: 0.75, std: Math.sqrt(0.1875) },
    ];
    for (const { name, mean, std } of expected) {
      const column = preprocessing.columns.find((candidate) => candidate.name === name);
      assert.ok(column && column.type !== "categorical", name);
      assert.ok(
        Math.abs(column.mean - mean) < 1e-12 && Math.abs(column.std - std) < 1e-12,
        `${name}: ${JSON.stringify(column)}`,
      );
    }
  });

  test("scales with the training mean even when the holdout's mean is far away", () => {
    const holdout: FeatureRow[] = [
      { size: 102, colour: "red", count: 25, fresh: true },
      { size: 98, colour: "red", count: 25, fresh: true },
    ];
    const fittedOnTraining = fitPreprocessing(spec, trainRows);
    const x = transformRows(fittedOnTraining, holdout);
    const std = Math.sqrt(2 / 3);
    assert.ok(Math.abs((x[0] as number) - (102 - 2) / std) < 1e-4, `scaled ${x[0]}`);
    assert.ok(Math.abs((x[6] as number) - (98 - 2) / std) < 1e-4, `scaled ${x[6]}`);
    // Fitted on the holdout instead, the same value would centre near 0: the scaler did not see these rows.
    assert.ok(Math.abs((x[0] as number) + (x[6] as number)) > 100);
  });

  test("one-hot encodes a category, and gives all zeros for an unknown or missing one", () => {
    const x = transformRows(preprocessing, [
      { size: 2, colour: "blue", count: 25, fresh: true },
      { size: 2, colour: "purple", count: 25, fresh: true },
      { size: 2, colour: null, count: 25, fresh: true },
    ]);
    const colours = (row: number) => Array.from(x.subarray(row * 6 + 1, row * 6 + 4));
    assert.deepEqual(colours(0), [0, 0, 1]);
    assert.deepEqual(colours(1), [0, 0, 0]);
    assert.deepEqual(colours(2), [0, 0, 0]);
  });

  test("imputes a missing number with the training mean, which scales to 0", () => {
    const x = transformRows(preprocessing, [{ colour: "red", count: 25, fresh: null }]);
    assert.equal(x[0], 0); // size absent
    assert.equal(x[4], 0); // count 25 = its mean
    assert.equal(x[5], 0); // fresh missing
  });

  test("transforms the same rows to the same bytes every time", () => {
    const first = Buffer.from(transformRows(preprocessing, trainRows).buffer);
    const second = Buffer.from(transformRows(preprocessing, trainRows).buffer);
    assert.ok(first.equals(second));
    assert.equal(first.byteLength, trainRows.length * 6 * 4);
  });

  test("round-trips through JSON unchanged", () => {
    const parsed = parsePreprocessing(JSON.parse(JSON.stringify(preprocessing)));
    assert.deepEqual(parsed, preprocessing);
    assert.equal(parsed.format, PREPROCESSING_FORMAT);
  });

  test("refuses a preprocessing.json whose features do not match its columns", () => {
    const broken = { ...preprocessing, features: preprocessing.features.slice(1) };
    assert.throws(() => parsePreprocessing(broken), /do not match the columns/);
  });

  test("a constant column scales by 1 instead of dividing by zero", () => {
    const constant = fitPreprocessing(
      spec,
      trainRows.map((row) => ({ ...row, count: 7 })),
    );
    assert.deepEqual(constant.columns[2], { name: "count", type: "integer", mean: 7, std: 1 });
  });

  test("names the column, row and value of a string in a numeric column", () => {
    assert.throws(
      () => transformRows(preprocessing, [{ size: "big", colour: "red", count: 1, fresh: true }]),
      (error: unknown) =>
        error instanceof InvalidFeatureValueError &&
        error.column === "size" &&
        error.row === 0 &&
        /row 0, column "size": "big" is not a number/.test(error.message),
    );
  });
});

describe("label encoding", () => {
  const spec = smallSpec();

  test("a class becomes its index in the spec's classes; rows without a label are left out", () => {
    const encoded = encodeLabels(labelTarget(spec), [{ kind: "b" }, { kind: null }, { kind: "a" }], true);
    assert.deepEqual(encoded.rows, [0, 2]);
    assert.deepEqual(Array.from(encoded.targets), [1, 0]);
  });

  test("in training, an unknown class is a TrainingInputError naming it; in evaluation it is -1", () => {
    assert.throws(
      () => encodeLabels(labelTarget(spec), [{ kind: "c" }], true),
      (error: unknown) =>
        error instanceof TrainingInputError && error.problem === "unknown-class" && error.value === "c",
    );
    assert.deepEqual(Array.from(encodeLabels(labelTarget(spec), [{ kind: "c" }], false).targets), [UNKNOWN_CLASS]);
  });

  test("a regression label is its value, and a non-number is a TrainingInputError", () => {
    const regression = smallSpec({ label: { name: "price", type: "numeric" }, model: { kind: "mlp-regressor" } });
    assert.deepEqual(Array.from(encodeLabels(labelTarget(regression), [{ price: 2.5 }], true).targets), [2.5]);
    assert.throws(
      () => encodeLabels(labelTarget(regression), [{ price: "2.5" }], true),
      (error: unknown) => error instanceof TrainingInputError && error.problem === "bad-label-value",
    );
  });
});

describe("reference statistics", () => {
  const spec = smallSpec();
  const stats = referenceStats(
    modelInputColumns(spec),
    { name: "kind", kind: "classification", classes: ["a", "b"] },
    trainRows,
    42,
  );

  test("describe numeric columns with counts, moments, quantiles and a fixed-edge histogram", () => {
    const size = stats.columns[0];
    assert.equal(size?.kind, "numeric");
    if (size?.kind !== "numeric") return;
    assert.equal(size.count, 3);
    assert.equal(size.missing, 1);
    assert.equal(size.mean, 2);
    assert.equal(size.std, 1); // sample std of 1, 2, 3
    assert.deepEqual(
      size.quantiles.find((q) => q.q === 0.5),
      { q: 0.5, value: 2 },
    );
    assert.equal(size.histogram.edges.length, 21);
    assert.equal(
      size.histogram.counts.reduce((a, b) => a + b),
      3,
    );
    assert.deepEqual([...size.sample].sort(), [1, 2, 3]);
  });

  test("count categories in spec order, booleans as false/true, and the label's classes", () => {
    const colour = stats.columns[1];
    assert.deepEqual(colour?.kind === "categorical" && colour.categories.map((c) => [c.value, c.count]), [
      ["red", 2],
      ["green", 1],
      ["blue", 1],
    ]);
    const fresh = stats.columns[3];
    assert.deepEqual(fresh?.kind === "categorical" && fresh.categories.map((c) => [c.value, c.count]), [
      ["false", 1],
      ["true", 3],
    ]);
    assert.deepEqual(stats.label.kind === "categorical" && stats.label.categories.map((c) => c.share), [0.5, 0.5]);
  });

  test("R-7 quantiles interpolate linearly between order statistics", () => {
    // numpy.quantile([1, 2, 3, 4], 0.25) = 1.75; (n − 1)q = 0.75 → 1 + 0.75 × (2 − 1).
    assert.equal(quantileSorted([1, 2, 3, 4], 0.25), 1.75);
    assert.equal(quantileSorted([1, 2, 3, 4], 1), 4);
  });

  test("the histogram puts the maximum in the last bin, and a constant column in one bin", () => {
    const h = histogram([0, 5, 10], 0, 10);
    assert.equal(h.counts[0], 1);
    assert.equal(h.counts[10], 1);
    assert.equal(h.counts[19], 1);
    assert.deepEqual(histogram([3, 3], 3, 3), { edges: [3, 3], counts: [2] });
  });

  test("a sample holds at most 1000 values, the same for the same seed", () => {
    const many = Array.from({ length: 5000 }, (_, i) => ({ size: i, colour: "red", count: 1, fresh: true, kind: "a" }));
    const label = { name: "kind", kind: "classification", classes: ["a", "b"] } as const;
    const first = referenceStats(modelInputColumns(spec), label, many, 1).columns[0];
    const again = referenceStats(modelInputColumns(spec), label, many, 1).columns[0];
    assert.ok(first?.kind === "numeric" && again?.kind === "numeric");
    assert.equal(first.sample.length, 1000);
    assert.deepEqual(first.sample, again.sample);
    assert.ok(
      first.sample.every((value, i) => i === 0 || value > (first.sample[i - 1] as number)),
      "kept in row order",
    );
  });
});
