import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  canonicalJson,
  type DatasetSpecInput,
  labelKind,
  type ModelInputColumn,
  modelInputColumns,
  specDigest,
  validateDatasetSpec,
} from "../src/index.ts";
import { baseSpec } from "./fixture.ts";

const spec = (overrides: Partial<DatasetSpecInput>) => validateDatasetSpec({ ...baseSpec(), ...overrides });
const names = (columns: ModelInputColumn[]) => columns.map((column) => column.name);

describe("modelInputColumns", () => {
  const cases: { name: string; overrides: Partial<DatasetSpecInput>; expected: string[] }[] = [
    {
      name: "takes features in spec order, then transforms, without eventTime and entityKey",
      overrides: {},
      expected: ["precipitation", "temp_max", "month"],
    },
    {
      name: "keeps a categorical feature when it is not the entityKey",
      overrides: { entityKey: undefined },
      expected: ["location", "precipitation", "temp_max", "month"],
    },
    {
      name: "leaves out every timestamp feature, not only eventTime",
      overrides: {
        features: [
          ...baseSpec().features,
          { name: "recorded_at", type: "timestamp" },
          { name: "wet", type: "boolean" },
        ],
      },
      expected: ["precipitation", "temp_max", "wet", "month"],
    },
    {
      name: "keeps transforms in spec order after all features",
      overrides: {
        transforms: [
          { kind: "rollingMean", name: "precipitation_mean_7", column: "precipitation", window: 7 },
          { kind: "lag", name: "temp_max_lag1", column: "temp_max" },
          { kind: "ratio", name: "rain_per_degree", numerator: "precipitation", denominator: "temp_max" },
          { kind: "datePart", name: "month", from: "date", part: "month" },
        ],
      },
      expected: ["precipitation", "temp_max", "precipitation_mean_7", "temp_max_lag1", "rain_per_degree", "month"],
    },
    {
      name: "leaves out a lag of a timestamp, which is a timestamp too",
      overrides: { transforms: [{ kind: "lag", name: "previous_date", column: "date" }] },
      expected: ["precipitation", "temp_max"],
    },
  ];
  for (const { name, overrides, expected } of cases) {
    test(name, () => assert.deepEqual(names(modelInputColumns(spec(overrides))), expected));
  }

  test("describes each column's type, categories, nullability and source", () => {
    const columns = modelInputColumns(
      spec({
        entityKey: undefined,
        transforms: [
          { kind: "datePart", name: "month", from: "date", part: "month" },
          { kind: "lag", name: "location_lag1", column: "location" },
        ],
      }),
    );
    assert.deepEqual(columns, [
      {
        name: "location",
        type: "categorical",
        categories: ["New York", "Seattle"],
        nullable: false,
        source: "feature",
      },
      { name: "precipitation", type: "numeric", nullable: false, source: "feature" },
      { name: "temp_max", type: "numeric", nullable: false, source: "feature" },
      { name: "month", type: "integer", nullable: false, source: "transform" },
      {
        name: "location_lag1",
        type: "categorical",
        categories: ["New York", "Seattle"],
        nullable: true,
        source: "transform",
      },
    ]);
  });
});

test("a lag of the label is an input with the label's type and classes; the label itself is not", () => {
  const columns = modelInputColumns(spec({ transforms: [{ kind: "lag", name: "weather_lag1", column: "weather" }] }));
  assert.deepEqual(
    columns.find((column) => column.name === "weather_lag1"),
    { name: "weather_lag1", type: "categorical", categories: ["rain", "sun"], nullable: true, source: "transform" },
  );
  assert.ok(!names(columns).includes("weather"));
});

describe("labelKind", () => {
  const cases: { label: DatasetSpecInput["label"]; expected: string }[] = [
    { label: { name: "weather", type: "categorical", classes: ["rain", "sun"] }, expected: "classification" },
    { label: { name: "rainfall", type: "numeric" }, expected: "regression" },
  ];
  for (const { label, expected } of cases) {
    test(`a ${label.type} label means ${expected}`, () => assert.equal(labelKind(spec({ label })), expected));
  }
});

describe("specDigest", () => {
  const digest = specDigest(baseSpec());

  test("is 64 lowercase hex digits", () => assert.match(digest, /^[a-f0-9]{64}$/));

  test("ignores key order and defaults written out", () => {
    const reordered = Object.fromEntries(Object.entries(baseSpec()).reverse()) as DatasetSpecInput;
    assert.equal(specDigest(reordered), digest);
    assert.equal(specDigest(validateDatasetSpec(baseSpec())), digest);
  });

  test("changes when any value changes", () => {
    assert.notEqual(specDigest({ ...baseSpec(), training: { retrainEveryRows: 301 } }), digest);
    assert.notEqual(specDigest({ ...baseSpec(), description: "x" }), digest);
  });

  test("canonicalJson sorts keys at every depth and keeps array order", () => {
    assert.equal(canonicalJson({ b: [{ d: 1, c: 2 }, 3], a: undefined, e: null }), '{"b":[{"c":2,"d":1},3],"e":null}');
  });
});
