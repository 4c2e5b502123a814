import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { combine } from "../src/learningCurve.ts";

describe("combine: batches into one rows-weighted figure", () => {
  const cases = [
    {
      metric: "accuracy",
      parts: [
        { value: 1, rows: 30 },
        { value: 0.5, rows: 10 },
      ],
      expected: 35 / 40,
    },
    {
      metric: "mae",
      parts: [
        { value: 2, rows: 1 },
        { value: 4, rows: 3 },
      ],
      expected: 14 / 4,
    },
    // RMSE: the root of the rows-weighted mean square, not the mean of the roots.
    {
      metric: "rmse",
      parts: [
        { value: 3, rows: 1 },
        { value: 1, rows: 1 },
      ],
      expected: Math.sqrt(5),
    },
    { metric: "accuracy", parts: [], expected: null },
    { metric: "accuracy", parts: [{ value: 0.7, rows: 0 }], expected: null },
  ];
  for (const { metric, parts, expected } of cases) {
    test(`${metric} of ${JSON.stringify(parts)}: ${expected}`, () => {
      const combined = combine(metric, parts);
      if (expected === null) assert.equal(combined, null);
      else assert.ok(combined !== null && Math.abs(combined - expected) < 1e-12, String(combined));
    });
  }
});
