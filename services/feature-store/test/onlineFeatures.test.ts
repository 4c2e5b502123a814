import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { TransformSpec } from "@gyre/spec";
import { historyDepth } from "@gyre/spec";
import { tableLayout } from "../src/layout.ts";
import { entityKeysToRead, featureValue, MAX_ENTITY_KEYS } from "../src/onlineFeatures.ts";
import { specWith, weatherSpec } from "./weather.ts";

const features = [
  { name: "time", type: "timestamp" as const },
  { name: "temp", type: "numeric" as const },
];
const label = { name: "target", type: "numeric" as const };

describe("entityKeysToRead", () => {
  const keyed = tableLayout(weatherSpec("weather"));
  const unkeyed = tableLayout(specWith({ features, label }));
  test("keeps the requested keys, in order, duplicates included", () => {
    assert.deepEqual(entityKeysToRead(keyed, ["Seattle", "New York", "Seattle"]), ["Seattle", "New York", "Seattle"]);
  });
  test("reads the single entity of a dataset without an entity key when none is named", () => {
    assert.deepEqual(entityKeysToRead(unkeyed, []), [""]);
  });
  test("asks for keys when the dataset has an entity key", () => {
    assert.throws(() => entityKeysToRead(keyed, []), /entity_keys is empty: dataset "weather" is keyed by "location"/);
  });
  test("refuses more keys than one call may read", () => {
    const keys = Array.from({ length: MAX_ENTITY_KEYS + 1 }, (_, index) => `k${index}`);
    assert.throws(() => entityKeysToRead(keyed, keys), { name: "InvalidArgumentError" });
  });
});

describe("historyDepth adds up how far back the read-time transforms reach", () => {
  const cases: { name: string; transforms: TransformSpec[]; expected: number }[] = [
    { name: "no lags", transforms: [{ kind: "datePart", name: "h", from: "time", part: "hour" }], expected: 0 },
    { name: "one lag of 3", transforms: [{ kind: "lag", name: "l", column: "temp", lag: 3 }], expected: 3 },
    {
      name: "a rolling mean of a lag",
      transforms: [
        { kind: "lag", name: "l", column: "temp", lag: 2 },
        { kind: "rollingMean", name: "m", column: "l", window: 5 },
        { kind: "ratio", name: "r", numerator: "temp", denominator: "m" },
      ],
      expected: 7,
    },
  ];
  for (const { name, transforms, expected } of cases) {
    test(name, () =>
      assert.equal(historyDepth(tableLayout(specWith({ features, label, transforms })).readTransforms), expected),
    );
  }
});

describe("featureValue picks the oneof member by the value's type", () => {
  const cases: { value: unknown; expected: object }[] = [
    { value: 1.5, expected: { number_value: 1.5 } },
    { value: "rain", expected: { string_value: "rain" } },
    { value: false, expected: { bool_value: false } },
    { value: null, expected: { null_value: true } },
    { value: new Date("2012-01-01T00:00:00Z"), expected: { string_value: "2012-01-01T00:00:00.000Z" } },
  ];
  for (const { value, expected } of cases) {
    test(`${String(value)}`, () => assert.deepEqual(featureValue(value), expected));
  }
});
