import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type ReliabilityReport, reportTable, verdict } from "../report.ts";
import { weatherBatches } from "../rows.ts";

const passing: Omit<ReliabilityReport, "problems"> = {
  faultsInjected: 7,
  faults: [{ fault: "ingestion", atSeconds: 6, downMs: 4000, how: "SIGKILL, started again" }],
  rowsSent: 20_000,
  rowsStored: 20_000,
  duplicates: 0,
  lost: 0,
  unexpectedRows: 0,
  dlqCount: 0,
  dlq: [],
  failedRequests: 0,
  crashes: 0,
  crashed: [],
  pendingMessages: 0,
  consumers: [{ durable: "ingestion", pending: 0, ackPending: 0, redelivered: 3 }],
  producer: { batches: 100, retries: 4, duplicateAcks: 1 },
  loop: { trainedAfterFaults: 2, promotedAfterFaults: 1, promotedBy: "policy", servedVersion: "3" },
  soak: {
    maxQps: 1000,
    targetQps: 800,
    seconds: 60,
    requests: 48_000,
    failed: 0,
    p99Ms: 12,
    rssStartMb: 300,
    rssEndMb: 310,
    rssGrowth: 0.033,
    promotion: "v3 → v2 at 30s, served after 40 ms",
  },
  durationsMs: { setup: 1, stream: 1, drain: 1, soak: 1, total: 1 },
};

describe("reliability verdict", () => {
  it("passes a run where every promise held", () => {
    assert.deepEqual(verdict(passing), []);
    assert.match(reportTable({ ...passing, problems: [] }), /OK: every promise held/);
  });

  const failing: [string, Partial<Omit<ReliabilityReport, "problems">>, RegExp][] = [
    ["a lost row", { lost: 1, rowsStored: 19_999 }, /1 rows lost/],
    ["a duplicate row", { duplicates: 2, rowsStored: 20_002 }, /2 duplicate rows/],
    [
      "a crash",
      { crashes: 1, crashed: [{ service: "validation", code: 1, signal: null, at: "t" }] },
      /1 crash: validation/,
    ],
    ["a dead letter", { dlqCount: 1 }, /1 dead letters/],
    ["a pending message", { pendingMessages: 3 }, /3 messages pending/],
    [
      "no promotion after the faults",
      { loop: { ...passing.loop, promotedAfterFaults: 0, promotedBy: null } },
      /no model/,
    ],
    [
      "a failed request",
      { soak: { ...(passing.soak as NonNullable<ReliabilityReport["soak"]>), failed: 1 } },
      /1 failed requests/,
    ],
    [
      "RSS growth of 10% or more",
      { soak: { ...(passing.soak as NonNullable<ReliabilityReport["soak"]>), rssGrowth: 0.1 } },
      /RSS grew 10.0%/,
    ],
    ["a soak that did not run", { soak: null }, /soak did not run/],
    [
      "serving never following the soak's promotion",
      { soak: { ...(passing.soak as NonNullable<ReliabilityReport["soak"]>), promotionServed: false } },
      /serving did not follow the promotion/,
    ],
    ["serving not answering with the champion", { loop: { ...passing.loop, servedVersion: null } }, /champion/],
  ];
  for (const [what, change, expected] of failing) {
    it(`fails a run with ${what}`, () => {
      const problems = verdict({ ...passing, ...change });
      assert.ok(
        problems.some((problem) => expected.test(problem)),
        `${JSON.stringify(problems)} should match ${expected}`,
      );
    });
  }
});

describe("reliability rows", () => {
  it("makes every date unique across the repeated copies, oldest first", () => {
    const batches = weatherBatches(3000, 200, "k-");
    const dates = batches.flatMap((batch) =>
      batch.csv
        .split("\n")
        .slice(1)
        .map((line) => line.slice(0, 10)),
    );
    assert.equal(dates.length, 3000);
    assert.equal(new Set(dates).size, 3000);
    assert.deepEqual([...dates].sort(), dates);
    assert.equal(batches.length, 15);
    assert.equal(batches[0]?.key, "k-0000");
    assert.ok(dates.includes("2008-02-29"), "a leap day shifted by four years is still a leap day");
  });

  it("names the bad value", () => {
    assert.throws(() => weatherBatches(0, 200, "k-"), /rows 0/);
  });
});
