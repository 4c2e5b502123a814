import type { ArtifactStore } from "@gyre/artifacts";
import type { Logger } from "@gyre/log";
import { type AnyBundle, disposeAnyBundle, isOnnxBundle, loadAnyBundle } from "@gyre/model";
import type pg from "pg";
import type { RegistryChampion, RegistryClient } from "./registryClient.ts";

/** The champion a replica holds: the registry's answer and its bundle (model, reference statistics, metadata). */
export interface Champion extends RegistryChampion {
  bundle: AnyBundle;
  /** The batches of its training snapshot: it may not score them (test, then train). */
  trainedBatchIds: ReadonlySet<string>;
}

/**
 * The champion of each dataset. PostgreSQL keeps the version the registry last named (refreshed at start and on
 * every model.promoted), so every replica serves the same one; each process loads that version's bundle from S3
 * once and keeps it until the version changes.
 */
export class Champions {
  /** Loaded (or loading) bundles by `<dataset>@<version>`. */
  readonly #loaded = new Map<string, Promise<Champion>>();

  constructor(
    private readonly deps: {
      pool: pg.Pool;
      store: ArtifactStore;
      registry: RegistryClient;
      log: Logger;
      onChange?: (dataset: string, version: number) => void;
    },
  ) {}

  /**
   * Asks the registry for the dataset's champion, loads its bundle, then records it (a bundle that cannot be loaded
   * leaves the previous champion in place) and frees the models of other versions. Null when there is none.
   */
  async refresh(dataset: string): Promise<Champion | null> {
    const answer = await this.deps.registry.champion(dataset);
    if (answer === null) return null;
    const trained = await this.deps.registry.trainedBatchIds(dataset, answer.version);
    const champion = await this.#load(answer, trained);
    await this.deps.pool.query(
      `INSERT INTO champions (dataset, version, artifact_key, run_id, metrics, trained_batch_ids)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (dataset) DO UPDATE SET version = $2, artifact_key = $3, run_id = $4, metrics = $5,
         trained_batch_ids = $6, updated_at = now()`,
      [
        dataset,
        answer.version,
        answer.artifactKey,
        answer.runId,
        JSON.stringify(answer.metrics),
        JSON.stringify(trained),
      ],
    );
    this.deps.onChange?.(dataset, answer.version);
    // Handlers use a tfjs bundle synchronously right after they get it, so none is mid-prediction when this runs.
    // An ONNX model is scored asynchronously: its session is not released here (a handler may be running it) but
    // freed by the garbage collector once no handler holds it.
    for (const [key, loaded] of this.#loaded) {
      if (!key.startsWith(`${dataset}@`) || key === keyOf(dataset, answer.version)) continue;
      this.#loaded.delete(key);
      void loaded.then(
        (old) => {
          if (!isOnnxBundle(old.bundle)) disposeAnyBundle(old.bundle);
        },
        () => undefined,
      );
    }
    return champion;
  }

  /** Every dataset the registry has a champion for. */
  async refreshAll(): Promise<Champion[]> {
    const champions: Champion[] = [];
    for (const dataset of await this.deps.registry.datasetsWithChampion()) {
      const champion = await this.refresh(dataset);
      if (champion) champions.push(champion);
    }
    return champions;
  }

  /** The recorded champion of the dataset, its bundle loaded; null before the registry named one. */
  async current(dataset: string): Promise<Champion | null> {
    const { rows } = await this.deps.pool.query<{
      version: number;
      artifact_key: string;
      run_id: string;
      metrics: Record<string, number>;
      trained_batch_ids: string[] | null;
    }>("SELECT version, artifact_key, run_id, metrics, trained_batch_ids FROM champions WHERE dataset = $1", [dataset]);
    const row = rows[0];
    if (row === undefined) return null;
    let trained = row.trained_batch_ids;
    if (trained === null) {
      // Recorded before lineage was kept: asked once, then kept with the champion.
      trained = await this.deps.registry.trainedBatchIds(dataset, row.version);
      await this.deps.pool.query("UPDATE champions SET trained_batch_ids = $3 WHERE dataset = $1 AND version = $2", [
        dataset,
        row.version,
        JSON.stringify(trained),
      ]);
    }
    return this.#load(
      { dataset, version: row.version, artifactKey: row.artifact_key, runId: row.run_id, metrics: row.metrics },
      trained,
    );
  }

  /** The bundle of this version, loaded once per process; a failed load is tried again next time. */
  #load(answer: RegistryChampion, trainedBatchIds: readonly string[]): Promise<Champion> {
    const key = keyOf(answer.dataset, answer.version);
    const held = this.#loaded.get(key);
    if (held) return held;
    const champion = loadAnyBundle(this.deps.store, answer.artifactKey).then((bundle) => {
      this.deps.log.info(
        { event: "champion.loaded", dataset: answer.dataset, version: answer.version, artifactKey: answer.artifactKey },
        "champion loaded",
      );
      return { ...answer, bundle, trainedBatchIds: new Set(trainedBatchIds) };
    });
    this.#loaded.set(key, champion);
    champion.catch(() => {
      if (this.#loaded.get(key) === champion) this.#loaded.delete(key);
    });
    return champion;
  }

  /** Frees every loaded model. */
  async close(): Promise<void> {
    const held = [...this.#loaded.values()];
    this.#loaded.clear();
    for (const loading of held) {
      await loading.then(
        (champion) => disposeAnyBundle(champion.bundle),
        () => undefined,
      );
    }
  }
}

function keyOf(dataset: string, version: number): string {
  return `${dataset}@${version}`;
}
