import { type AnyBundle, disposeAnyBundle, isOnnxBundle } from "@gyre/model";
import { type BatcherOptions, DynamicBatcher } from "./dynamic-batcher.ts";
import { createRunner, type ModelRunner } from "./model-runner.ts";

/**
 * One model version in memory, with a count of the requests using it. Retiring it (after a swap or an eviction)
 * stops new requests from finding it; its tensors are freed when the last request in flight releases it.
 */
export class LoadedModel {
  readonly dataset: string;
  readonly version: number;
  readonly versionText: string;
  readonly bundle: AnyBundle;
  readonly runner: ModelRunner;
  readonly batcher: DynamicBatcher;
  readonly weightBytes: number;
  lastUsed = Date.now();
  #references = 0;
  #retired = false;
  #disposed = false;
  readonly #onDisposed: (model: LoadedModel) => void;
  readonly #drained: Promise<void>;
  #resolveDrained!: () => void;

  constructor(options: {
    dataset: string;
    version: number;
    bundle: AnyBundle;
    batching: Omit<BatcherOptions, "onBatch">;
    onBatch(model: LoadedModel, rows: number, requests: number, waitsSeconds: readonly number[]): void;
    onDisposed(model: LoadedModel): void;
  }) {
    this.dataset = options.dataset;
    this.version = options.version;
    this.versionText = String(options.version);
    this.bundle = options.bundle;
    this.runner = createRunner(options.bundle);
    this.batcher = new DynamicBatcher(this.runner, {
      ...options.batching,
      onBatch: (rows, requests, waits) => options.onBatch(this, rows, requests, waits),
    });
    const { bundle } = options;
    this.weightBytes = isOnnxBundle(bundle)
      ? bundle.modelBytes
      : bundle.model.weights.reduce((sum, weight) => sum + weight.read().size * 4, 0);
    this.#onDisposed = options.onDisposed;
    this.#drained = new Promise((resolve) => {
      this.#resolveDrained = resolve;
    });
  }

  get retired(): boolean {
    return this.#retired;
  }

  get inFlight(): number {
    return this.#references;
  }

  /** Counts a request in; pair with release(). */
  acquire(): this {
    if (this.#disposed) throw new Error(`model ${this.dataset} version ${this.version} is disposed`);
    this.#references += 1;
    this.lastUsed = Date.now();
    return this;
  }

  release(): void {
    this.#references -= 1;
    if (this.#references === 0 && this.#retired) this.#dispose();
  }

  /** No new requests; freed once those in flight are done. */
  retire(): void {
    if (this.#retired) return;
    this.#retired = true;
    if (this.#references === 0) this.#dispose();
  }

  /** Resolves when the model is freed. */
  drained(): Promise<void> {
    return this.#drained;
  }

  /** Runs the model once on N rows of zeros (the training mean), so the first request finds its kernels ready. */
  async warmUp(rows: number): Promise<void> {
    await this.runner.run(new Float32Array(rows * this.runner.width), rows);
  }

  #dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    disposeAnyBundle(this.bundle);
    this.#onDisposed(this);
    this.#resolveDrained();
  }
}
