import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DynamicBatcher } from "../src/dynamic-batcher.ts";
import type { ModelOutput, ModelRunner } from "../src/model-runner.ts";
import { eventChunks } from "../src/prediction-log.ts";
import { DEFAULT_ROUTING, InvalidRoutingError, parseRouting, routeToCanary } from "../src/routing-settings.ts";
import { rowsAgree } from "../src/shadow-mirror.ts";

/** A runner whose output row i is [x_i0 * 2, x_i0 + 1], recording the row count of each call. */
function fakeRunner(calls: number[], fail = false): ModelRunner {
  return {
    width: 1,
    outputWidth: 2,
    run(x, rows): ModelOutput {
      calls.push(rows);
      if (fail) throw new Error("kernel failed");
      const probabilities = new Float32Array(rows * 2);
      for (let row = 0; row < rows; row++) {
        probabilities[row * 2] = (x[row] as number) * 2;
        probabilities[row * 2 + 1] = (x[row] as number) + 1;
      }
      return { kind: "classification", classes: ["a", "b"], probabilities };
    },
  };
}

const rowsOf = (output: ModelOutput) => (output.kind === "classification" ? Array.from(output.probabilities) : []);

describe("dynamic batcher", () => {
  it("runs requests that arrive together as one call and gives each its own rows", async () => {
    const calls: number[] = [];
    const batches: [number, number][] = [];
    const batcher = new DynamicBatcher(fakeRunner(calls), {
      maxBatchRows: 64,
      maxQueueDelayUs: 0,
      onBatch: (rows, requests) => batches.push([rows, requests]),
    });
    const outputs = await Promise.all([
      batcher.infer(Float32Array.of(1), 1),
      batcher.infer(Float32Array.of(2, 3), 2),
      batcher.infer(Float32Array.of(4), 1),
    ]);
    assert.deepEqual(calls, [4]);
    assert.deepEqual(batches, [[4, 3]]);
    assert.deepEqual(outputs.map(rowsOf), [
      [2, 2],
      [4, 3, 6, 4],
      [8, 5],
    ]);
  });

  it("closes a batch at maxBatchRows and runs an oversized request alone", async () => {
    const calls: number[] = [];
    const batcher = new DynamicBatcher(fakeRunner(calls), { maxBatchRows: 4, maxQueueDelayUs: 0 });
    const big = new Float32Array(10).fill(1);
    await Promise.all([
      batcher.infer(Float32Array.of(1, 1, 1), 3),
      batcher.infer(Float32Array.of(1, 1), 2),
      batcher.infer(big, 10),
      batcher.infer(Float32Array.of(1), 1),
    ]);
    assert.deepEqual(calls, [3, 10, 3]);
  });

  it("waits up to maxQueueDelayUs for company, then runs", async () => {
    const calls: number[] = [];
    const batcher = new DynamicBatcher(fakeRunner(calls), { maxBatchRows: 64, maxQueueDelayUs: 200_000 });
    const started = performance.now();
    const first = batcher.infer(Float32Array.of(1), 1);
    await new Promise((resolve) => setTimeout(resolve, 1));
    const second = batcher.infer(Float32Array.of(2), 1);
    await Promise.all([first, second]);
    assert.deepEqual(calls, [2]);
    assert.ok(performance.now() - started >= 190, "the batch waited for the delay");
  });

  it("rejects every request of a batch whose call fails", async () => {
    const batcher = new DynamicBatcher(fakeRunner([], true), { maxBatchRows: 8, maxQueueDelayUs: 0 });
    const results = await Promise.allSettled([
      batcher.infer(Float32Array.of(1), 1),
      batcher.infer(Float32Array.of(2), 1),
    ]);
    assert.deepEqual(
      results.map((result) => result.status),
      ["rejected", "rejected"],
    );
  });
});

describe("routing settings", () => {
  it("parses the operator's setting and names what is wrong", () => {
    assert.deepEqual(parseRouting("d", {}), DEFAULT_ROUTING);
    assert.deepEqual(parseRouting("d", { shadow: true, canaryShare: 0.25 }), { shadow: true, canaryShare: 0.25 });
    assert.throws(
      () => parseRouting("d", { canaryShare: 1.5 }),
      (error: Error) => error instanceof InvalidRoutingError && /"d": canaryShare/.test(error.message),
    );
    assert.throws(() => parseRouting("d", { shadow: "yes" }), /shadow/);
    assert.throws(() => parseRouting("d", { canary: 0.1 }), /Unrecognized key/);
  });

  it("sends the canary share to the challenger only when there is one", () => {
    const cases: [number, boolean, number, boolean][] = [
      [0.3, true, 0.29, true],
      [0.3, true, 0.3, false],
      [0, true, 0, false],
      [1, true, 0.999, true],
      [0.5, false, 0.1, false],
    ];
    for (const [share, hasChallenger, draw, expected] of cases) {
      assert.equal(
        routeToCanary({ shadow: false, canaryShare: share }, hasChallenger, () => draw),
        expected,
        `${share} ${draw}`,
      );
    }
  });

  it("counts shadow agreement by label for classifiers and by value for regressors", () => {
    const a: ModelOutput = {
      kind: "classification",
      classes: ["x", "y"],
      probabilities: Float32Array.of(0.9, 0.1, 0.4, 0.6),
    };
    const b: ModelOutput = {
      kind: "classification",
      classes: ["x", "y"],
      probabilities: Float32Array.of(0.6, 0.4, 0.7, 0.3),
    };
    assert.deepEqual([rowsAgree(a, b, 0), rowsAgree(a, b, 1)], [true, false]);
    const r1: ModelOutput = { kind: "regression", values: Float32Array.of(100, 5) };
    const r2: ModelOutput = { kind: "regression", values: Float32Array.of(100.00001, 5.1) };
    assert.deepEqual([rowsAgree(r1, r2, 0), rowsAgree(r1, r2, 1)], [true, false]);
    assert.equal(rowsAgree(a, r1, 0), false);
  });
});

describe("prediction log events", () => {
  it("cuts records into events by count and by size, keeping their order", () => {
    const record = (index: number, text = "") => ({
      requestId: `r-${index}`,
      inputs: { note: text },
      outputs: { value: index },
      at: "2024-01-01T00:00:00.000Z",
    });
    const small = Array.from({ length: 10 }, (_, index) => record(index));
    assert.deepEqual(
      eventChunks(small, 4).map((chunk) => chunk.map((entry) => entry.outputs.value)),
      [
        [0, 1, 2, 3],
        [4, 5, 6, 7],
        [8, 9],
      ],
    );
    const wide = Array.from({ length: 7 }, (_, index) => record(index, "x".repeat(200_000)));
    const chunks = eventChunks(wide, 500);
    assert.deepEqual(
      chunks.map((chunk) => chunk.length),
      [3, 3, 1],
    );
    assert.ok(chunks.every((chunk) => JSON.stringify(chunk).length < 1024 * 1024));
  });
});
