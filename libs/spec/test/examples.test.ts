import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { inferDatasetSpec, modelInputColumns, parseDatasetSpec } from "../src/index.ts";

const repo = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
const examples = [
  { spec: "examples/weather.spec.yaml", data: "node_modules/vega-datasets/data/weather.csv", entityKey: "location" },
  { spec: "examples/seattle-weather.spec.yaml", data: "node_modules/vega-datasets/data/seattle-weather.csv" },
];

describe("example specs", () => {
  for (const example of examples) {
    test(`${example.spec} validates and agrees with the types, categories and ranges of its data`, async () => {
      const spec = parseDatasetSpec(readFileSync(repo(example.spec), "utf8"));
      const { spec: inferred } = await inferDatasetSpec(readFileSync(repo(example.data), "utf8"), {
        name: spec.name,
        ...(example.entityKey ? { entityKey: example.entityKey } : {}),
      });
      assert.equal(spec.entityKey, inferred.entityKey);
      assert.equal(spec.eventTime, inferred.eventTime);
      assert.deepEqual(spec.label, inferred.label);
      assert.deepEqual(
        spec.features.map((feature) => [feature.name, feature.type, feature.categories]),
        inferred.features.map((feature) => [feature.name, feature.type, feature.categories]),
      );
      for (const observed of inferred.features) {
        const declared = spec.features.find((feature) => feature.name === observed.name);
        if (observed.min !== undefined)
          assert.ok((declared?.min ?? Number.NaN) <= observed.min, `${observed.name} min`);
        if (observed.max !== undefined)
          assert.ok((declared?.max ?? Number.NaN) >= observed.max, `${observed.name} max`);
      }
    });
  }

  test("the weather model reads the measurements and derived columns, not the city key or the date", () => {
    const spec = parseDatasetSpec(readFileSync(repo("examples/weather.spec.yaml"), "utf8"));
    assert.deepEqual(
      modelInputColumns(spec).map((column) => column.name),
      ["precipitation", "temp_max", "temp_min", "wind", "month", "temp_max_lag1", "precipitation_mean_7"],
    );
  });
});
