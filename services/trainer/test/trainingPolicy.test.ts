import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { trainingPolicySchema } from "@gyre/spec";
import {
  decideTrigger,
  MAX_ATTEMPTS,
  type PolicyState,
  retryDelayMs,
  rowsDue,
  runReason,
  type TrainingPolicy,
  type TriggerReason,
} from "../src/trainingPolicy.ts";

const NOW = new Date("2024-05-01T12:00:00.000Z");
const policy = (overrides: Partial<TrainingPolicy> = {}): TrainingPolicy =>
  trainingPolicySchema.parse({ retrainEveryRows: 300, minRows: 200, cooldownSeconds: 0, ...overrides });
const state = (overrides: Partial<PolicyState> = {}): PolicyState => ({
  labelledRows: 0,
  newLabelledRows: 0,
  lastSnapshotRunId: null,
  lastRunStartedAt: null,
  now: NOW,
  ...overrides,
});

describe("training policy: decideTrigger", () => {
  const cases: {
    name: string;
    reason: TriggerReason;
    policy?: Partial<TrainingPolicy>;
    state?: Partial<PolicyState>;
    decision: "train" | "skip";
    because: RegExp;
    notBeforeMs?: number;
  }[] = [
    {
      name: "features before the first model wait for minRows labelled rows",
      reason: "features",
      state: { labelledRows: 199, newLabelledRows: 199 },
      decision: "skip",
      because: /199 labelled rows, fewer than minRows 200/,
    },
    {
      name: "features reaching minRows train the first model",
      reason: "features",
      state: { labelledRows: 200, newLabelledRows: 200 },
      decision: "train",
      because: /200 labelled rows, minRows 200 for a first model/,
    },
    {
      name: "after a snapshot, new rows count towards retrainEveryRows, not all rows",
      reason: "features",
      state: { labelledRows: 5000, newLabelledRows: 299, lastSnapshotRunId: "run-1" },
      decision: "skip",
      because: /299 new labelled rows since the snapshot of run run-1, fewer than retrainEveryRows 300/,
    },
    {
      name: "retrainEveryRows new labelled rows train again",
      reason: "features",
      state: { labelledRows: 5000, newLabelledRows: 300, lastSnapshotRunId: "run-1" },
      decision: "train",
      because: /300 new labelled rows since the snapshot of run run-1 \(retrainEveryRows 300\)/,
    },
    {
      name: "retrainEveryRows 0 never retrains on rows",
      reason: "features",
      policy: { retrainEveryRows: 0 },
      state: { labelledRows: 5000, newLabelledRows: 5000, lastSnapshotRunId: "run-1" },
      decision: "skip",
      because: /retrainEveryRows is 0/,
    },
    {
      name: "drift trains when onDrift is set",
      reason: "drift",
      state: { labelledRows: 500, lastSnapshotRunId: "run-1" },
      decision: "train",
      because: /drift detected/,
    },
    {
      name: "drift is skipped when onDrift is false",
      reason: "drift",
      policy: { onDrift: false },
      state: { labelledRows: 500, lastSnapshotRunId: "run-1" },
      decision: "skip",
      because: /onDrift is false/,
    },
    {
      name: "a manual trigger trains whatever the rows",
      reason: "manual",
      decision: "train",
      because: /manual/,
    },
    {
      name: "a trigger within the cooldown is deferred to its end, not dropped",
      reason: "drift",
      policy: { cooldownSeconds: 60 },
      state: { labelledRows: 500, lastSnapshotRunId: "run-1", lastRunStartedAt: new Date(NOW.getTime() - 20_000) },
      decision: "train",
      because: /drift detected/,
      notBeforeMs: NOW.getTime() + 40_000,
    },
    {
      name: "after the cooldown a trigger may run at once",
      reason: "features",
      policy: { cooldownSeconds: 60 },
      state: {
        labelledRows: 900,
        newLabelledRows: 400,
        lastSnapshotRunId: "run-1",
        lastRunStartedAt: new Date(NOW.getTime() - 61_000),
      },
      decision: "train",
      because: /400 new labelled rows/,
      notBeforeMs: NOW.getTime(),
    },
    {
      name: "a manual trigger ignores the cooldown",
      reason: "manual",
      policy: { cooldownSeconds: 600 },
      state: { lastSnapshotRunId: "run-1", lastRunStartedAt: NOW },
      decision: "train",
      because: /manual/,
      notBeforeMs: NOW.getTime(),
    },
  ];
  for (const example of cases) {
    it(example.name, () => {
      const decided = decideTrigger(policy(example.policy), example.reason, state(example.state));
      assert.equal(decided.decision, example.decision);
      assert.match(decided.reason, example.because);
      if (example.notBeforeMs !== undefined) assert.equal(decided.notBefore.getTime(), example.notBeforeMs);
    });
  }
});

describe("training policy: claims and retries", () => {
  it("rowsDue says pending features triggers are covered once a snapshot took their rows", () => {
    const covered = rowsDue(policy(), state({ labelledRows: 900, newLabelledRows: 0, lastSnapshotRunId: "run-2" }));
    assert.equal(covered.ok, false);
    assert.match(covered.reason, /0 new labelled rows since the snapshot of run run-2/);
  });

  it("a coalesced run takes the strongest reason: manual, then drift, then features", () => {
    assert.equal(runReason(["features", "features"]), "features");
    assert.equal(runReason(["features", "drift", "features"]), "drift");
    assert.equal(runReason(["drift", "manual"]), "manual");
  });

  it("retry delays grow and a trigger is claimed at most MAX_ATTEMPTS times", () => {
    assert.deepEqual([1, 2, 3].map(retryDelayMs), [5000, 30000, 30000]);
    assert.equal(MAX_ATTEMPTS, 3);
  });
});
