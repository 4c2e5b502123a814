import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type DatasetSpecInput,
  parseDatasetSpec,
  SpecInvalidError,
  stringifySpec,
  validateDatasetSpec,
} from "../src/index.ts";
import { baseSpec } from "./fixture.ts";

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof SpecInvalidError, `expected SpecInvalidError, got ${String(error)}`);
    assert.equal(error.name, "SpecInvalidError");
    for (const problem of error.problems) assert.ok(error.message.includes(problem), `message lists "${problem}"`);
    return error.problems;
  }
  assert.fail("expected the spec to be refused");
}

/** A copy of the base spec with values set (or, for `undefined`, deleted) at dotted paths. */
function withEdits(edits: Record<string, unknown>): DatasetSpecInput {
  const spec: unknown = structuredClone(baseSpec());
  for (const [path, value] of Object.entries(edits)) {
    const keys = path.split(".");
    const last = keys.pop() as string;
    const parent = keys.reduce((node, key) => (node as Record<string, unknown>)[key], spec) as Record<string, unknown>;
    if (value === undefined) delete parent[last];
    else parent[last] = value;
  }
  return spec as DatasetSpecInput;
}

describe("validateDatasetSpec", () => {
  test("accepts a lag of the label and time windows, and still refuses the label as a feature", () => {
    const spec = validateDatasetSpec({
      ...baseSpec(),
      transforms: [
        { kind: "lag", name: "weather_lag1", column: "weather" },
        { kind: "lag", name: "weather_lag_1d", column: "weather", lag: "1d" },
        { kind: "rollingMean", name: "wind_mean_7d", column: "precipitation", window: "7d" },
      ],
    });
    assert.deepEqual(
      spec.transforms.map((transform) => (transform.kind === "lag" ? transform.lag : null)),
      [1, "1d", null],
    );
    const asFeature = structuredClone(baseSpec()) as DatasetSpecInput;
    asFeature.features.push({ name: "weather", type: "categorical", categories: ["rain", "sun"] });
    assert.ok(
      problemsOf(() => validateDatasetSpec(asFeature)).some((p) => /label "weather" is also a feature/.test(p)),
    );
  });

  test("accepts a valid spec and fills in defaults", () => {
    const spec = validateDatasetSpec(baseSpec());
    assert.equal(spec.training.holdoutShare, 0.2);
    assert.equal(spec.drift.correction, "bonferroni");
    assert.equal(spec.features[0]?.nullable, false);
    assert.deepEqual(
      [spec.drift.rule, spec.drift.wassersteinThreshold, spec.drift.psiThreshold, spec.drift.seasonalReference],
      ["both", 0.1, 0.2, false],
    );
  });

  const cases: { name: string; edits: Record<string, unknown>; expected: RegExp[] }[] = [
    {
      name: "names a bad feature type with its value",
      edits: { "features.2.type": "colour" },
      expected: [/^features\[2\]\.type: .*"colour"/],
    },
    {
      name: "names a missing required field",
      edits: { model: undefined },
      expected: [/^model: is required/],
    },
    {
      name: "names an out-of-range number with its value",
      edits: { "training.holdoutShare": 1.5 },
      expected: [/^training\.holdoutShare: .*1\.5/],
    },
    {
      name: "names a misspelt field and the known ones",
      edits: { "training.retrainEveryRow": 10 },
      expected: [/^training\.retrainEveryRow: unknown field "retrainEveryRow" \(known: retrainEveryRows,/],
    },
    {
      name: "names an eventTime that is not a timestamp feature",
      edits: { eventTime: "precipitation" },
      expected: [/^eventTime: eventTime "precipitation" must name a feature of type timestamp/],
    },
    {
      name: "names a transform reading an unknown column",
      edits: { "transforms.1": { kind: "lag", name: "wind_lag1", column: "wind" } },
      expected: [/^transforms\[1\]: transform "wind_lag1" reads "wind"/],
    },
    {
      name: "refuses a transform other than a lag over the label (the row's own label would leak into its inputs)",
      edits: { "transforms.1": { kind: "rollingMean", name: "weather_mean", column: "weather", window: 3 } },
      expected: [
        /^transforms\[1\]: transform "weather_mean" \(rollingMean\) reads the label "weather": only a lag may read the label/,
      ],
    },
    {
      name: "names a duration that is not one",
      edits: { "transforms.1": { kind: "lag", name: "weather_lag", column: "weather", lag: "24 hours" } },
      expected: [/^transforms\[1\]\.lag: .*"24 hours"/],
    },
    {
      name: "names a drift threshold for a column the spec does not have",
      edits: { drift: { featureThresholds: { windd: { wasserstein: 0.3 } } } },
      expected: [
        /^drift\.featureThresholds\.windd: drift\.featureThresholds names "windd", which is neither a feature nor a transform/,
      ],
    },
    {
      name: "names an unknown drift rule with its value",
      edits: { drift: { rule: "either" } },
      expected: [/^drift\.rule: .*"either"/],
    },
    {
      name: "names a bad dataset name",
      edits: { name: "Wea Ther" },
      expected: [/^name: dataset "Wea Ther"/],
    },
    {
      name: "lists three distinct mistakes as three problems",
      edits: { "features.3.type": "float", "model.kind": "random-forest", eventTime: "when" },
      expected: [/^features\[3\]\.type: .*"float"/, /^model\.kind: .*"random-forest"/, /^eventTime: .*"when"/],
    },
  ];
  for (const { name, edits, expected } of cases) {
    test(name, () => {
      const problems = problemsOf(() => validateDatasetSpec(withEdits(edits)));
      assert.equal(problems.length, expected.length, `problems: ${JSON.stringify(problems)}`);
      for (const pattern of expected) {
        assert.ok(
          problems.some((problem) => pattern.test(problem)),
          `${pattern} in ${JSON.stringify(problems)}`,
        );
      }
    });
  }

  test("refuses a document that is not an object", () => {
    assert.deepEqual(
      problemsOf(() => validateDatasetSpec(null)),
      ["spec: expected object, got null"],
    );
  });
});

describe("parseDatasetSpec", () => {
  const syntaxCases: { name: string; text: string; format: "yaml" | "json"; expected: RegExp }[] = [
    {
      name: "reports a YAML indentation error with its line",
      text: "name: weather\nfeatures:\n  - name: date\n   type: timestamp\n",
      format: "yaml",
      expected: /^line 4, column \d+: /,
    },
    {
      name: "reports a repeated YAML key with its line",
      text: "name: weather\neventTime: date\nname: other\n",
      format: "yaml",
      expected: /^line 3, column 1: Map keys must be unique/,
    },
    {
      name: "reports a JSON syntax error with its line and column",
      text: '{\n  "name": "weather",\n  "eventTime" "date"\n}',
      format: "json",
      expected: /^line 3, column 15: /,
    },
  ];
  for (const { name, text, format, expected } of syntaxCases) {
    test(name, () => {
      const problems = problemsOf(() => parseDatasetSpec(text, format));
      assert.equal(problems.length, 1);
      assert.match(problems[0] ?? "", expected);
    });
  }

  test("reads YAML and JSON renderings of a spec to the same spec", () => {
    const spec = validateDatasetSpec(baseSpec());
    assert.deepEqual(parseDatasetSpec(stringifySpec(spec, "yaml")), spec);
    assert.deepEqual(parseDatasetSpec(stringifySpec(spec, "json"), "json"), spec);
    assert.deepEqual(parseDatasetSpec(stringifySpec(spec, "json")), spec, "JSON is valid YAML");
  });

  test("lists schema problems of a well-formed YAML document, each with its path", () => {
    const text = stringifySpec(withEdits({ "label.type": "text", "features.0.categories": [] }));
    const problems = problemsOf(() => parseDatasetSpec(text));
    assert.equal(problems.length, 2, JSON.stringify(problems));
    assert.ok(problems.some((problem) => problem.startsWith("label.type: ") && problem.includes('"text"')));
    assert.ok(problems.some((problem) => problem.startsWith("features[0].categories: ")));
  });
});
