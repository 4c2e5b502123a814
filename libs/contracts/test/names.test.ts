import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InvalidNameError, isValidName, parseDatasetName, parseEvent, toJsonSchemas } from "../src/index.ts";
import { withData } from "./fixtures.ts";

const RULE = 'names start with a-z, then use a-z, 0-9, "-" and "_", at most 63 characters';

const refused = ["../x", "a;drop", "Weather", "", "w".repeat(64), "1weather", "wea ther", "weather.eu"];
const accepted = ["seattle-weather", "weather_2", "w", "w".repeat(63)];

/** The JSON Schema pattern that producers in other languages validate dataset names with. */
const exportedPattern = (() => {
  const schema = toJsonSchemas()["data.arrived"] as {
    properties: { data: { properties: { dataset: { pattern: string } } } };
  };
  return new RegExp(schema.properties.data.properties.dataset.pattern);
})();

describe("dataset names", () => {
  for (const name of refused) {
    test(`refuses dataset ${JSON.stringify(name)} in an event, quoting the value and the rule`, () => {
      const result = parseEvent(
        "data.arrived",
        withData("data.arrived", (d) => {
          d.dataset = name;
        }),
      );
      assert.deepEqual(result, {
        ok: false,
        reason: `data.arrived event is invalid: data.dataset: dataset ${JSON.stringify(name)}: ${RULE}`,
      });
    });

    test(`parseDatasetName throws an InvalidNameError for ${JSON.stringify(name)}`, () => {
      assert.throws(() => parseDatasetName(name), {
        name: "InvalidNameError",
        message: `dataset ${JSON.stringify(name)}: ${RULE}`,
      });
      assert.throws(() => parseDatasetName(name), InvalidNameError);
    });
  }

  for (const name of accepted) {
    test(`accepts dataset ${JSON.stringify(name).slice(0, 30)} in an event and by parseDatasetName`, () => {
      const result = parseEvent(
        "data.arrived",
        withData("data.arrived", (d) => {
          d.dataset = name;
        }),
      );
      assert.equal(result.ok ? result.event.data.dataset : result.reason, name);
      assert.equal(parseDatasetName(name), name);
    });
  }

  test("the exported JSON Schema pattern for dataset names agrees with isValidName", () => {
    for (const name of [...refused, ...accepted]) {
      assert.equal(exportedPattern.test(name), isValidName(name), `dataset ${JSON.stringify(name)}`);
    }
  });

  test("refuses a dataset that is not a string, saying what it got", () => {
    const result = parseEvent(
      "data.arrived",
      withData("data.arrived", (d) => {
        d.dataset = 42;
      }),
    );
    assert.deepEqual(result, {
      ok: false,
      reason: "data.arrived event is invalid: data.dataset: Invalid input: expected string, received number, got 42",
    });
  });
});
