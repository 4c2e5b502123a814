import { storedColumns, type TableLayout } from "./layout.ts";
import { applyWriteTransforms, normalizeTimestamp, RowValueError } from "./transforms.ts";

/** A row ready for the offline table: values of the stored columns, in `storedColumns(layout)` order. */
export interface PreparedRow {
  eventTime: string;
  entityKey: string;
  values: unknown[];
}

export interface PreparedBatch {
  rows: PreparedRow[];
  labelledRows: number;
}

/** The rows of a validated batch: one JSON object per line (typed: numbers, booleans, ISO timestamps, null). */
export function parseNdjsonRows(text: string, source: string): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  let line = 0;
  for (const raw of text.split("\n")) {
    line++;
    const trimmed = raw.trim();
    if (trimmed === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (err) {
      throw new RowValueError(`${source} line ${line}: not JSON (${(err as Error).message})`);
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new RowValueError(`${source} line ${line}: expected a JSON object per line, got ${trimmed.slice(0, 80)}`);
    }
    rows.push(value as Record<string, unknown>);
  }
  return rows;
}

/**
 * Puts each row in the store's shape: timestamps as UTC ISO strings, the entity key as text ("" when the dataset
 * has none or the row's is missing), the write-time transforms added. Values are not type-checked here: the typed
 * columns do that when the batch is written, and a bad value fails the whole batch.
 */
export function prepareRows(layout: TableLayout, rows: readonly Record<string, unknown>[]): PreparedBatch {
  const stored = storedColumns(layout);
  const timestampColumns = stored.filter((column) => column.sqlType === "timestamptz").map((column) => column.name);
  const prepared: PreparedRow[] = [];
  let labelledRows = 0;
  for (const [index, source] of rows.entries()) {
    try {
      const row = { ...source };
      for (const name of timestampColumns) {
        if (name in row) row[name] = normalizeTimestamp(row[name], name);
      }
      const eventTime = row[layout.eventTime];
      if (typeof eventTime !== "string") {
        throw new RowValueError(`event time column "${layout.eventTime}" is empty`);
      }
      applyWriteTransforms(row, layout.writeTransforms);
      const label = row[layout.label];
      if (label !== null && label !== undefined) labelledRows++;
      prepared.push({
        eventTime,
        entityKey: entityKeyOf(row, layout.entityKey),
        values: stored.map((column) => row[column.name] ?? null),
      });
    } catch (err) {
      if (err instanceof RowValueError) throw new RowValueError(`row ${index}: ${err.message}`);
      throw err;
    }
  }
  return { rows: prepared, labelledRows };
}

function entityKeyOf(row: Record<string, unknown>, entityKey: string | undefined): string {
  if (entityKey === undefined) return "";
  const value = row[entityKey];
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}
