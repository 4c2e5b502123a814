import type { ModelOutput, ModelRunner } from "./model-runner.ts";

export interface BatcherOptions {
  /** Most rows in one model call; a request with more rows runs alone. */
  maxBatchRows: number;
  /** Longest a request waits for others to join its batch, in microseconds; 0 joins those already waiting. */
  maxQueueDelayUs: number;
  /** Called once per model call: rows, requests, and each request's wait in seconds. */
  onBatch?(rows: number, requests: number, waitsSeconds: readonly number[]): void;
}

interface Pending {
  x: Float32Array;
  rows: number;
  enqueued: bigint;
  resolve(output: ModelOutput): void;
  reject(error: unknown): void;
}

/**
 * Triton-style dynamic batching for one model: requests that arrive while a batch is forming are run as one model
 * call (up to maxBatchRows rows, waiting at most maxQueueDelayUs for the first of them), and each gets its own rows
 * of the result. Every row is computed the same way whatever else is in the batch, so answers do not change.
 * With a delay of 0 the batch forms from the requests read in the same turn of the event loop (setImmediate).
 */
export class DynamicBatcher {
  readonly #runner: ModelRunner;
  readonly #options: BatcherOptions;
  #queue: Pending[] = [];
  #queuedRows = 0;
  #scheduled = false;
  #deadline = 0n;

  constructor(runner: ModelRunner, options: BatcherOptions) {
    this.#runner = runner;
    this.#options = options;
  }

  /** The model's output for these rows, computed in a batch with whatever else is queued. */
  infer(x: Float32Array, rows: number): Promise<ModelOutput> {
    return new Promise((resolve, reject) => {
      const pending: Pending = { x, rows, enqueued: process.hrtime.bigint(), resolve, reject };
      if (rows >= this.#options.maxBatchRows) {
        this.#run([pending]);
        return;
      }
      if (this.#queuedRows + rows > this.#options.maxBatchRows) this.#flush();
      this.#queue.push(pending);
      this.#queuedRows += rows;
      if (this.#queuedRows >= this.#options.maxBatchRows) {
        this.#flush();
        return;
      }
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    const delayUs = this.#options.maxQueueDelayUs;
    this.#deadline = process.hrtime.bigint() + BigInt(delayUs) * 1000n;
    if (delayUs >= 2000) {
      setTimeout(() => this.#due(), Math.floor(delayUs / 1000));
    } else {
      // Timers are whole milliseconds: below two, poll at each turn of the event loop, which also reads new calls.
      setImmediate(() => this.#due());
    }
  }

  #due(): void {
    if (!this.#scheduled) return;
    if (process.hrtime.bigint() < this.#deadline) {
      setImmediate(() => this.#due());
      return;
    }
    this.#flush();
  }

  #flush(): void {
    this.#scheduled = false;
    const batch = this.#queue;
    if (batch.length === 0) return;
    this.#queue = [];
    this.#queuedRows = 0;
    this.#run(batch);
  }

  #run(batch: Pending[]): void {
    const now = process.hrtime.bigint();
    const rows = batch.reduce((sum, pending) => sum + pending.rows, 0);
    let output: ModelOutput | Promise<ModelOutput>;
    try {
      output = this.#runner.run(joinRows(batch, rows, this.#runner.width), rows);
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    // an ONNX model answers asynchronously; a tfjs one at once
    if (output instanceof Promise) {
      output.then(
        (resolved) => this.#deliver(batch, now, rows, resolved),
        (error: unknown) => {
          for (const pending of batch) pending.reject(error);
        },
      );
      return;
    }
    this.#deliver(batch, now, rows, output);
  }

  #deliver(batch: Pending[], now: bigint, rows: number, output: ModelOutput): void {
    this.#options.onBatch?.(
      rows,
      batch.length,
      batch.map((pending) => Number(now - pending.enqueued) / 1e9),
    );
    let start = 0;
    for (const pending of batch) {
      pending.resolve(sliceRows(output, start, pending.rows, this.#runner.outputWidth));
      start += pending.rows;
    }
  }
}

function joinRows(batch: readonly Pending[], rows: number, width: number): Float32Array {
  const [only] = batch;
  if (batch.length === 1 && only) return only.x;
  const x = new Float32Array(rows * width);
  let offset = 0;
  for (const pending of batch) {
    x.set(pending.x, offset);
    offset += pending.x.length;
  }
  return x;
}

function sliceRows(output: ModelOutput, start: number, rows: number, width: number): ModelOutput {
  if (output.kind === "regression") return { kind: "regression", values: output.values.subarray(start, start + rows) };
  return {
    kind: "classification",
    classes: output.classes,
    probabilities: output.probabilities.subarray(start * width, (start + rows) * width),
  };
}
