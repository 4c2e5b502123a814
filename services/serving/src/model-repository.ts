import type { ArtifactStore } from "@gyre/artifacts";
import type { Logger } from "@gyre/log";
import { type AnyBundle, loadAnyBundle } from "@gyre/model";
import type { BatcherOptions } from "./dynamic-batcher.ts";
import { ModelCapacityError, ModelNotFoundError, ModelUnavailableError } from "./errors.ts";
import { LoadedModel } from "./loaded-model.ts";
import type { ModelAliases, RegistryReader } from "./registry-client.ts";
import type { ServingMetrics } from "./serving-metrics.ts";

export interface RepositoryOptions {
  store: ArtifactStore;
  registry: RegistryReader;
  log: Logger;
  metrics: ServingMetrics;
  batching: Omit<BatcherOptions, "onBatch">;
  /** Most model versions in memory; champions and wanted challengers always stay, requested versions fill the rest. */
  maxModels: number;
  /** Whether the dataset's challenger should be kept loaded (shadow or canary is on). */
  wantsChallenger(dataset: string): boolean;
  /** How long a new champion waits for the version it replaced earlier to drain before loading anyway. */
  drainWaitMs?: number;
}

interface DatasetState {
  champion: LoadedModel | undefined;
  challenger: LoadedModel | undefined;
  /** Versions the registry names, as last read. */
  aliases: ModelAliases | undefined;
  /** Reconciles of this dataset run one after another. */
  chain: Promise<void>;
}

/**
 * The models in memory: each dataset's champion (the default answer), its challenger when shadow or canary needs
 * it, and versions clients asked for by number (least recently used go first past maxModels). A new champion is
 * loaded and warmed up before the swap; the one it replaces is retired and freed when its last request finishes.
 */
export class ModelRepository {
  readonly #options: RepositoryOptions;
  readonly #datasets = new Map<string, DatasetState>();
  /** Requested versions by `dataset@version`, loaded or loading. */
  readonly #versions = new Map<string, Promise<LoadedModel>>();
  readonly #retiring = new Set<LoadedModel>();

  constructor(options: RepositoryOptions) {
    this.#options = options;
  }

  /** The model that answers requests without a version, acquired; NOT_FOUND when there is none. */
  champion(dataset: string): LoadedModel | undefined {
    return this.#datasets.get(dataset)?.champion;
  }

  challenger(dataset: string): LoadedModel | undefined {
    return this.#datasets.get(dataset)?.challenger;
  }

  datasets(): string[] {
    return [...this.#datasets.keys()].sort();
  }

  /** Loaded versions of a dataset, ascending. */
  loadedVersions(dataset: string): number[] {
    const versions = new Set<number>();
    for (const model of this.#loadedModels()) if (model.dataset === dataset) versions.add(model.version);
    return [...versions].sort((a, b) => a - b);
  }

  /** The loaded version, if it is loaded; no load. */
  loaded(dataset: string, version: number): LoadedModel | undefined {
    return this.#loadedModels().find((model) => model.dataset === dataset && model.version === version);
  }

  /** A specific version, loading it from the registry's artifact when it is not in memory. */
  async version(dataset: string, version: number): Promise<LoadedModel> {
    const state = this.#datasets.get(dataset);
    for (const model of [state?.champion, state?.challenger]) if (model?.version === version) return model;
    const key = `${dataset}@${version}`;
    const existing = this.#versions.get(key);
    if (existing) return existing;
    const loading = this.#loadRequested(dataset, version);
    this.#versions.set(key, loading);
    loading.catch(() => this.#versions.delete(key));
    return loading;
  }

  /** Reads every dataset from the registry and brings champions (and wanted challengers) in line. */
  async reconcileAll(): Promise<void> {
    const listed = await this.#registryCall("list the models", () => this.#options.registry.listDatasets());
    const failures: unknown[] = [];
    await Promise.all(
      listed.map((entry) =>
        this.reconcile(entry.dataset).catch((error: unknown) => {
          failures.push(error);
        }),
      ),
    );
    if (failures.length > 0) throw failures[0];
  }

  /** Brings one dataset's champion and challenger in line with the registry; runs after earlier reconciles of it. */
  reconcile(dataset: string): Promise<void> {
    const state = this.#state(dataset);
    const next = state.chain.then(() => this.#reconcile(dataset, state));
    state.chain = next.catch(() => undefined);
    return next;
  }

  /** Frees every model (shutdown). */
  close(): void {
    for (const model of this.#loadedModels()) model.retire();
  }

  #state(dataset: string): DatasetState {
    let state = this.#datasets.get(dataset);
    if (!state) {
      state = { champion: undefined, challenger: undefined, aliases: undefined, chain: Promise.resolve() };
      this.#datasets.set(dataset, state);
    }
    return state;
  }

  async #reconcile(dataset: string, state: DatasetState): Promise<void> {
    const aliases = await this.#registryCall(`read model "${dataset}"`, () =>
      this.#options.registry.modelAliases(dataset),
    );
    if (!aliases) return;
    state.aliases = aliases;
    if (aliases.champion !== null && state.champion?.version !== aliases.champion) {
      await this.#swapChampion(dataset, state, aliases, aliases.champion);
    }
    const wanted = aliases.challenger !== null && this.#options.wantsChallenger(dataset) ? aliases.challenger : null;
    if (state.challenger?.version !== (wanted ?? undefined)) {
      const old = state.challenger;
      state.challenger =
        wanted === null
          ? undefined
          : (this.#reuse(dataset, wanted) ?? (await this.#load(dataset, wanted, aliases, "challenger")));
      if (old && old !== state.champion) this.#retire(old, "challenger replaced");
    }
    this.#options.metrics.setRoles(dataset, state.champion?.version ?? null, state.challenger?.version ?? null);
  }

  async #swapChampion(dataset: string, state: DatasetState, aliases: ModelAliases, version: number): Promise<void> {
    // Memory stays at old + new: a version retired by an earlier swap is freed before another one loads.
    await this.#drainRetiring(dataset);
    const next = this.#reuse(dataset, version) ?? (await this.#load(dataset, version, aliases, "champion"));
    const old = state.champion;
    state.champion = next;
    if (state.challenger === next) state.challenger = undefined;
    this.#versions.delete(`${dataset}@${version}`);
    if (old) this.#options.metrics.swaps.inc({ dataset });
    this.#options.log.info(
      {
        event: "model.swapped",
        dataset,
        modelVersion: version,
        previousVersion: old?.version ?? null,
        previousInFlight: old?.inFlight ?? 0,
        loadedModels: this.#loadedModels().length,
      },
      "champion swapped",
    );
    if (old && old !== state.challenger) this.#retire(old, "replaced as champion");
  }

  /** A version already in memory (as a requested version or the challenger), taken over for a new role. */
  #reuse(dataset: string, version: number): LoadedModel | undefined {
    const model = this.loaded(dataset, version);
    if (!model || model.retired) return undefined;
    this.#versions.delete(`${dataset}@${version}`);
    return model;
  }

  async #drainRetiring(dataset: string): Promise<void> {
    const waits = [...this.#retiring].filter((model) => model.dataset === dataset).map((model) => model.drained());
    if (waits.length === 0) return;
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, this.#options.drainWaitMs ?? 30_000).unref());
    await Promise.race([Promise.all(waits), timeout]);
  }

  async #loadRequested(dataset: string, version: number): Promise<LoadedModel> {
    let aliases = this.#datasets.get(dataset)?.aliases;
    if (!aliases?.artifactKeys.has(version)) {
      aliases =
        (await this.#registryCall(`read model "${dataset}"`, () => this.#options.registry.modelAliases(dataset))) ??
        undefined;
    }
    if (!aliases) throw new ModelNotFoundError(`model "${dataset}" is not in the registry`);
    if (!aliases.artifactKeys.has(version)) {
      const known = [...aliases.artifactKeys.keys()].sort((a, b) => a - b).join(", ") || "none";
      throw new ModelNotFoundError(`model "${dataset}" has no version ${version} (registered versions: ${known})`);
    }
    this.#evictFor(dataset, version);
    return this.#load(dataset, version, aliases, "requested");
  }

  #evictFor(dataset: string, version: number): void {
    const loaded = this.#loadedModels();
    if (loaded.length < this.#options.maxModels) return;
    const pinned = new Set<LoadedModel>();
    for (const state of this.#datasets.values()) {
      if (state.champion) pinned.add(state.champion);
      if (state.challenger) pinned.add(state.challenger);
    }
    const evictable = loaded.filter((model) => !pinned.has(model)).sort((a, b) => a.lastUsed - b.lastUsed);
    const [oldest] = evictable;
    if (!oldest) {
      throw new ModelCapacityError(
        `model "${dataset}" version ${version}: ${loaded.length} models are loaded as champions and challengers, ` +
          `SERVING_MAX_MODELS is ${this.#options.maxModels}; raise it to serve other versions`,
      );
    }
    this.#versions.delete(`${oldest.dataset}@${oldest.version}`);
    this.#retire(oldest, "least recently used");
  }

  async #load(dataset: string, version: number, aliases: ModelAliases, role: string): Promise<LoadedModel> {
    const artifactKey = aliases.artifactKeys.get(version);
    if (artifactKey === undefined) throw new ModelNotFoundError(`model "${dataset}" has no version ${version}`);
    const started = performance.now();
    let bundle: AnyBundle;
    try {
      // Gyre's tfjs models and external ONNX models (onnxruntime-node) alike
      bundle = await loadAnyBundle(this.#options.store, artifactKey);
    } catch (error) {
      this.#options.log.error(
        { event: "model.load_failed", dataset, modelVersion: version, artifactKey, err: error },
        "model load failed",
      );
      throw new ModelUnavailableError(
        `model "${dataset}" version ${version} cannot be loaded from "${artifactKey}": ${(error as Error).message}`,
        { cause: error },
      );
    }
    const model = new LoadedModel({
      dataset,
      version,
      bundle,
      batching: this.#options.batching,
      onBatch: (loaded, rows, requests, waits) => this.#options.metrics.recordBatch(loaded, rows, requests, waits),
      onDisposed: (disposed) => this.#disposed(disposed),
    });
    checkSignature(model);
    await model.warmUp(1);
    await model.warmUp(this.#options.batching.maxBatchRows);
    this.#loadedSet.add(model);
    const ms = Math.round(performance.now() - started);
    this.#options.metrics.modelLoadSeconds.observe(ms / 1000);
    this.#options.metrics.loadedModels.set(this.#loadedSet.size);
    this.#options.log.info(
      {
        event: "model.loaded",
        dataset,
        modelVersion: version,
        role,
        artifactKey,
        ms,
        weightBytes: model.weightBytes,
        loadedModels: this.#loadedSet.size,
      },
      "model loaded",
    );
    return model;
  }

  readonly #loadedSet = new Set<LoadedModel>();

  #loadedModels(): LoadedModel[] {
    return [...this.#loadedSet].filter((model) => !model.retired);
  }

  #retire(model: LoadedModel, reason: string): void {
    if (model.retired) return;
    this.#retiring.add(model);
    this.#options.log.info(
      { event: "model.retired", dataset: model.dataset, modelVersion: model.version, reason, inFlight: model.inFlight },
      "model retired",
    );
    model.retire();
  }

  #disposed(model: LoadedModel): void {
    this.#retiring.delete(model);
    this.#loadedSet.delete(model);
    this.#options.metrics.loadedModels.set(this.#loadedSet.size);
    this.#options.log.info(
      {
        event: "model.disposed",
        dataset: model.dataset,
        modelVersion: model.version,
        loadedModels: this.#loadedSet.size,
      },
      "model disposed",
    );
  }

  async #registryCall<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw new ModelUnavailableError(`the registry could not ${what}: ${(error as Error).message}`, { cause: error });
    }
  }
}

/** The signature's inputs and the preprocessing's columns come from the same spec, in the same order. */
function checkSignature(model: LoadedModel): void {
  const { signature, preprocessing } = model.bundle;
  const inputs = signature.inputs.map((input) => input.name).join(",");
  const columns = preprocessing.columns.map((column) => column.name).join(",");
  if (inputs !== columns) {
    model.retire();
    throw new ModelUnavailableError(
      `model "${model.dataset}" version ${model.version}: signature inputs (${inputs}) differ from preprocessing columns (${columns})`,
    );
  }
}
