import type pg from "pg";
import { storedColumns, type TableLayout } from "./layout.ts";

/**
 * What committed writes of this process have put in one database schema: the layouts whose tables exist with
 * all their columns, and the spec revisions recorded in `dataset_specs`. Both only grow (columns are added,
 * never dropped or retyped; revisions are never removed), so a batch whose layout and revision are known skips
 * the catalog query and the insert. A failed write forgets what it relied on, so its retry checks again (the
 * schema may have been dropped underneath the service).
 */
export class KnownSchema {
  readonly #layouts = new Set<string>();
  readonly #specRevisions = new Set<string>();

  hasTables(layout: TableLayout): boolean {
    return this.#layouts.has(layoutKey(layout));
  }

  hasSpecRevision(dataset: string, revision: number): boolean {
    return this.#specRevisions.has(`${revision}/${dataset}`);
  }

  /** After a write that synced `layout` and recorded the revision committed. */
  remember(layout: TableLayout, revision: number): void {
    this.#layouts.add(layoutKey(layout));
    this.#specRevisions.add(`${revision}/${layout.dataset}`);
  }

  /** After a write that relied on them failed. */
  forget(layout: TableLayout, revision: number): void {
    this.#layouts.delete(layoutKey(layout));
    this.#specRevisions.delete(`${revision}/${layout.dataset}`);
  }
}

/** The tables and their typed columns: two layouts with the same key need the same tables. */
function layoutKey(layout: TableLayout): string {
  const columns = storedColumns(layout).map((column) => `${column.name} ${column.sqlType}`);
  return [layout.offlineTable, layout.onlineTable, ...columns].join("\n");
}

const bySchema = new WeakMap<pg.Pool, KnownSchema>();

/** What this process knows of the schema behind `pool` (a pool is bound to one schema). */
export function knownSchema(pool: pg.Pool): KnownSchema {
  let known = bySchema.get(pool);
  if (known === undefined) {
    known = new KnownSchema();
    bySchema.set(pool, known);
  }
  return known;
}
