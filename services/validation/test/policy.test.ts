import assert from "node:assert/strict";
import { test } from "node:test";
import type { BatchProblem } from "../src/columnCheck.ts";
import { type BatchDecision, decideBatch } from "../src/policy.ts";

const duplicate: BatchProblem = { kind: "duplicate_column", column: "wind", reason: 'column "wind" appears 2 times' };
const empty: BatchProblem = { kind: "empty_batch", reason: "the batch has no data rows" };

const cases: [name: string, rowCount: number, invalid: number, problems: BatchProblem[], expected: BatchDecision][] = [
  ["accepts a clean batch", 20, 0, [], { decision: "accept", reason: "all 20 rows are valid" }],
  [
    "accepts a share below the threshold",
    100,
    3,
    [],
    {
      decision: "accept",
      reason: "invalid share 0.03 (3 of 100 rows) is within the spec's maxInvalidShare 0.1; 3 row(s) quarantined",
    },
  ],
  [
    "accepts a share equal to the threshold",
    50,
    5,
    [],
    {
      decision: "accept",
      reason: "invalid share 0.1 (5 of 50 rows) is within the spec's maxInvalidShare 0.1; 5 row(s) quarantined",
    },
  ],
  [
    "rejects a share above the threshold, rounded to four decimals",
    3,
    1,
    [],
    { decision: "reject", reason: "invalid share 0.3333 (1 of 3 rows) is above the spec's maxInvalidShare 0.1" },
  ],
  [
    "rejects a batch with batch-level problems whatever its rows",
    0,
    0,
    [duplicate, empty],
    { decision: "reject", reason: 'column "wind" appears 2 times; the batch has no data rows' },
  ],
];

for (const [name, rowCount, invalidRowCount, batchProblems, expected] of cases) {
  test(name, () => {
    assert.deepEqual(decideBatch(0.1, { rowCount, invalidRowCount, batchProblems }), expected);
  });
}
