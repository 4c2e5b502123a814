import type { FeaturesUpdated, OnlineRow } from "@gyre/contracts";
import type { TimedRow } from "@gyre/spec";

/** A stored row of an entity with its place in the store's total order (event time, batch, row). */
export interface StoredRow extends TimedRow {
  seq: number;
  index: number;
}

/** An entity's history as the feature store gave it for a time. */
export interface FetchedHistory {
  specRevision: number;
  /** The rows the windows reach before the asked time, oldest first. */
  rows: StoredRow[];
  /** Event time of the entity's latest stored row (any time); null when it has none. */
  latest: number | null;
}

export interface HistorySource {
  fetch(dataset: string, entity: string, at: number): Promise<FetchedHistory>;
}

interface EntityHistory {
  /** The entity's latest rows in total order: every stored row from the first one's event time on. */
  rows: StoredRow[];
  /** The rows are the entity's whole history (fewer event times than the windows reach). */
  complete: boolean;
}

interface DatasetHistory {
  specRevision: number;
  /** How many event times back the windows of the dataset's model reach. */
  depth: number;
  entities: Map<string, EntityHistory>;
  /** Rows that arrived for an entity while its history was being fetched; merged when the fetch ends. */
  arriving: Map<string, { fetches: number; rows: StoredRow[] }>;
}

const order = (a: StoredRow, b: StoredRow) => a.time - b.time || a.seq - b.seq || a.index - b.index;

function distinctTimesBefore(rows: readonly StoredRow[], at: number): number {
  let count = 0;
  let last: number | undefined;
  for (const row of rows) {
    if (row.time >= at) break;
    if (row.time !== last) count += 1;
    last = row.time;
  }
  return count;
}

/** Adds rows (deduplicated by their place), keeps the total order, and drops rows older than `depth` event times. */
function merge(entry: EntityHistory, rows: readonly StoredRow[], depth: number): void {
  const first = entry.rows[0];
  const seen = new Set(entry.rows.map((row) => `${row.seq}/${row.index}`));
  for (const row of rows) {
    // Below the first held time the history is not whole unless it is complete: such a row is not needed by a
    // request that the memory can answer.
    if (!entry.complete && first !== undefined && row.time < first.time) continue;
    const key = `${row.seq}/${row.index}`;
    if (seen.has(key)) continue;
    seen.add(key);
    entry.rows.push(row);
  }
  entry.rows.sort(order);
  const times = distinctTimesBefore(entry.rows, Number.POSITIVE_INFINITY);
  if (times <= depth) return;
  let skip = times - depth;
  let cut = 0;
  while (skip > 0) {
    const time = (entry.rows[cut] as StoredRow).time;
    while (cut < entry.rows.length && (entry.rows[cut] as StoredRow).time === time) cut += 1;
    skip -= 1;
  }
  entry.rows.splice(0, cut);
  entry.complete = false;
}

export function storedRowOf(row: OnlineRow): StoredRow {
  return { time: Date.parse(row.eventTime), seq: row.batchSeq, index: row.rowIndex, values: { ...row.values } };
}

/**
 * Serving's memory of the online store: per dataset and entity, the latest rows the spec's lags and rolling means
 * reach, kept current by the rows features.updated carries, so a request after the latest stored row needs no call.
 * A request the memory cannot answer (an entity not held, or a time before what it holds) asks the feature store;
 * what it answers is kept when it is the entity's latest rows.
 */
export class OnlineHistory {
  private readonly datasets = new Map<string, DatasetHistory>();

  constructor(
    private readonly source: HistorySource,
    private readonly options: {
      maxEntities: number;
      onLookup(dataset: string, from: "memory" | "feature_store"): void;
      /** Rows of features.updated merged into held entities. */
      onApplied?(dataset: string, rows: number): void;
    },
  ) {}

  /** The entity's stored rows that a request at `at` can reach (rows at or after `at` may be included). */
  async history(dataset: string, entity: string, at: number, depth: number): Promise<readonly StoredRow[]> {
    const held = this.datasets.get(dataset)?.entities.get(entity);
    if (held && (held.complete || distinctTimesBefore(held.rows, at) >= depth)) {
      this.options.onLookup(dataset, "memory");
      return held.rows;
    }
    this.options.onLookup(dataset, "feature_store");
    const state = this.dataset(dataset);
    state.depth = depth;
    const arriving = state.arriving.get(entity) ?? { fetches: 0, rows: [] };
    arriving.fetches += 1;
    state.arriving.set(entity, arriving);
    try {
      const fetched = await this.source.fetch(dataset, entity, at);
      // the latest rows: nothing stored at or after `at`, so every later row comes through events
      if ((fetched.latest === null || fetched.latest < at) && this.datasets.get(dataset) === state) {
        if (state.specRevision !== fetched.specRevision) {
          state.specRevision = fetched.specRevision;
          state.entities.clear();
        }
        const entry: EntityHistory = { rows: [], complete: true };
        merge(entry, fetched.rows, depth);
        entry.complete = distinctTimesBefore(fetched.rows, at) < depth;
        merge(entry, arriving.rows, depth);
        this.hold(state, entity, entry);
      }
      return fetched.rows;
    } finally {
      arriving.fetches -= 1;
      if (arriving.fetches === 0) state.arriving.delete(entity);
    }
  }

  /** features.updated: its rows join the entities held; without rows (too many for one event), they are let go. */
  apply(event: FeaturesUpdated): void {
    const state = this.datasets.get(event.dataset);
    if (!state) return;
    if (event.specRevision !== state.specRevision || event.online === undefined) {
      if (event.rowsWritten > 0) this.datasets.delete(event.dataset);
      return;
    }
    const byEntity = new Map<string, StoredRow[]>();
    for (const row of event.online) {
      const list = byEntity.get(row.entity);
      if (list) list.push(storedRowOf(row));
      else byEntity.set(row.entity, [storedRowOf(row)]);
    }
    let applied = 0;
    for (const [entity, rows] of byEntity) {
      const held = state.entities.get(entity);
      if (held) {
        merge(held, rows, state.depth);
        applied += rows.length;
      }
      state.arriving.get(entity)?.rows.push(...rows);
    }
    this.options.onApplied?.(event.dataset, applied);
  }

  /** How many entities are held, over all datasets. */
  size(): number {
    let total = 0;
    for (const state of this.datasets.values()) total += state.entities.size;
    return total;
  }

  private dataset(dataset: string): DatasetHistory {
    let state = this.datasets.get(dataset);
    if (!state) {
      state = { specRevision: 0, depth: 0, entities: new Map(), arriving: new Map() };
      this.datasets.set(dataset, state);
    }
    return state;
  }

  private hold(state: DatasetHistory, entity: string, entry: EntityHistory): void {
    state.entities.delete(entity);
    state.entities.set(entity, entry);
    // the longest held go first
    while (state.entities.size > this.options.maxEntities) {
      const oldest = state.entities.keys().next().value;
      if (oldest === undefined) break;
      state.entities.delete(oldest);
    }
  }
}
