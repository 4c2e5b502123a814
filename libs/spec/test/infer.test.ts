import assert from "node:assert/strict";
import { createReadStream, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { type FeatureSpec, inferDatasetSpec, SpecInferenceError, validateDatasetSpec } from "../src/index.ts";

const SEATTLE = fileURLToPath(new URL("../../../node_modules/vega-datasets/data/seattle-weather.csv", import.meta.url));

/** Expectations computed with a plain split (the file has no quoting), independently of csv-parse and the profiler. */
function expectedFromSeattle() {
  const [head, ...lines] = readFileSync(SEATTLE, "utf8").trim().split("\n");
  const header = (head ?? "").split(",");
  const rows = lines.map((line) => line.split(","));
  const column = (name: string) => rows.map((row) => row[header.indexOf(name)] ?? "");
  const range = (name: string) => {
    const values = column(name).map(Number);
    return { min: Math.min(...values), max: Math.max(...values) };
  };
  return {
    rows: rows.length,
    classes: [...new Set(column("weather"))].sort(),
    ranges: Object.fromEntries(["precipitation", "temp_max", "temp_min", "wind"].map((name) => [name, range(name)])),
  };
}

describe("inferDatasetSpec on seattle-weather.csv", () => {
  test("infers types, observed ranges, label classes and classifier policies; the draft validates", async () => {
    const expected = expectedFromSeattle();
    const { spec, notes, rows } = await inferDatasetSpec(createReadStream(SEATTLE), { name: "seattle-weather" });

    assert.equal(rows, expected.rows);
    assert.equal(spec.eventTime, "date");
    assert.equal(spec.entityKey, undefined);
    assert.deepEqual(spec.label, { name: "weather", type: "categorical", classes: expected.classes });
    assert.deepEqual(expected.classes, ["drizzle", "fog", "rain", "snow", "sun"]);
    const byName = new Map(spec.features.map((feature) => [feature.name, feature]));
    assert.deepEqual([...byName.keys()], ["date", "precipitation", "temp_max", "temp_min", "wind"]);
    assert.deepEqual(byName.get("date"), { name: "date", type: "timestamp", nullable: false });
    for (const [name, range] of Object.entries(expected.ranges)) {
      assert.deepEqual(byName.get(name), { name, type: "numeric", nullable: false, ...range } satisfies FeatureSpec);
    }
    assert.equal(spec.model.kind, "mlp-classifier");
    assert.deepEqual(spec.model.layers, [{ units: 16, activation: "relu" }]);
    assert.equal(spec.promotion.metric, "accuracy");
    assert.deepEqual(spec.promotion.guards, [{ metric: "log_loss", maxDegradation: 0.05 }]);
    assert.deepEqual(validateDatasetSpec(spec), spec);
    assert.ok(notes.some((note) => note.includes("observed range")));
  });

  test("reads a string the same as a stream", async () => {
    const fromStream = await inferDatasetSpec(createReadStream(SEATTLE), { name: "seattle-weather" });
    const fromText = await inferDatasetSpec(readFileSync(SEATTLE, "utf8"), { name: "seattle-weather" });
    assert.deepEqual(fromText, fromStream);
  });

  test("a numeric label makes a regressor judged on rmse", async () => {
    const { spec } = await inferDatasetSpec(readFileSync(SEATTLE, "utf8"), {
      name: "rainfall",
      label: "precipitation",
    });
    assert.deepEqual(spec.label, { name: "precipitation", type: "numeric" });
    assert.deepEqual(spec.features.find((feature) => feature.name === "weather")?.categories, [
      "drizzle",
      "fog",
      "rain",
      "snow",
      "sun",
    ]);
    assert.equal(spec.model.kind, "mlp-regressor");
    assert.equal(spec.promotion.metric, "rmse");
  });
});

describe("inferDatasetSpec column types", () => {
  const cases: { name: string; values: string[]; expected: Partial<FeatureSpec> | null }[] = [
    { name: "0/1 is integer, not boolean", values: ["0", "1", "1"], expected: { type: "integer", min: 0, max: 1 } },
    { name: "true/false is boolean", values: ["true", "False", "TRUE"], expected: { type: "boolean" } },
    {
      name: "integers and decimals are numeric",
      values: ["1", "2.5", "-3e2"],
      expected: { type: "numeric", min: -300, max: 2.5 },
    },
    {
      name: "ISO dates and date-times are timestamps",
      values: ["2020-01-01", "2020-01-02T10:30:00Z", "2020-01-03 08:00"],
      expected: { type: "timestamp" },
    },
    { name: "an impossible date is text", values: ["2020-13-45", "a"], expected: { type: "categorical" } },
    { name: "hex and Infinity are text", values: ["0x1A", "Infinity"], expected: { type: "categorical" } },
    {
      name: "few distinct texts are categorical, sorted",
      values: ["b", "a", "c", "a"],
      expected: { type: "categorical", categories: ["a", "b", "c"] },
    },
    {
      name: "an empty cell makes a column nullable",
      values: ["1", "", "3"],
      expected: { type: "integer", nullable: true },
    },
    { name: "more distinct texts than maxCategories are left out", values: ["a", "b", "c", "d", "e"], expected: null },
    { name: "a column without values is left out", values: ["", "", ""], expected: null },
  ];
  for (const { name, values, expected } of cases) {
    test(name, async () => {
      const lines = values.map((value, index) => `2020-01-0${index + 1},${value},${index % 2 === 0 ? "x" : "y"}`);
      const csv = ["day,probe,label", ...lines].join("\n");
      const { spec, notes } = await inferDatasetSpec(csv, { name: "probe", maxCategories: 4 });
      const probe = spec.features.find((feature) => feature.name === "probe");
      if (expected === null) {
        assert.equal(probe, undefined);
        assert.ok(
          notes.some((note) => note.startsWith('column "probe" left out')),
          JSON.stringify(notes),
        );
      } else {
        assert.ok(probe, "probe is a feature");
        assert.deepEqual({ ...probe, ...expected }, probe);
      }
    });
  }
});

describe("inferDatasetSpec refusals", () => {
  const cases: { name: string; csv: string; options?: object; expected: RegExp }[] = [
    {
      name: "a CSV without a header row",
      csv: "2020-01-01,1.5,a\n2020-01-02,2,b\n",
      expected: /header .*cell 1 is "2020-01-01"/,
    },
    { name: "an empty CSV", csv: "", expected: /CSV is empty/ },
    { name: "a header without rows", csv: "day,value,label\n", expected: /no data rows/ },
    { name: "no timestamp column", csv: "value,label\n1,a\n2,b\n", expected: /event-time column .*value, label/ },
    {
      name: "an eventTime that is not a timestamp",
      csv: "day,v,l\n2020-01-01,1,a\n2020-01-02,2,b\n",
      options: { eventTime: "v" },
      expected: /eventTime "v" .*timestamp columns: day/,
    },
    {
      name: "a label that is not a column",
      csv: "day,v\n2020-01-01,1\n",
      options: { label: "weather" },
      expected: /label "weather" is not a column/,
    },
    {
      name: "a label with one class",
      csv: "day,v,l\n2020-01-01,1,a\n2020-01-02,2,a\n",
      expected: /label "l" has 1 class/,
    },
    {
      name: "a row with a missing cell, naming its line",
      csv: "day,v,l\n2020-01-01,1,a\n2020-01-02,2\n",
      expected: /CSV: .*line 3/,
    },
    {
      name: "an unknown entityKey",
      csv: "day,v,l\n2020-01-01,1,a\n2020-01-02,2,b\n",
      options: { entityKey: "city" },
      expected: /entityKey "city"/,
    },
  ];
  for (const { name, csv, options, expected } of cases) {
    test(`refuses ${name}`, async () => {
      await assert.rejects(inferDatasetSpec(csv, { name: "probe", ...options }), (error: Error) => {
        assert.ok(error instanceof SpecInferenceError, String(error));
        assert.match(error.message, expected);
        return true;
      });
    });
  }
});
