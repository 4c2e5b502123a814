import { normalizeTimestamp, RowValueError, writeTransformValues } from "@gyre/spec";
import { storedColumns, type TableLayout } from "./layout.ts";

function parseLine(line: string, source: string, number: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    throw new RowValueError(`${source} line ${number}: not JSON (${(err as Error).message})`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new RowValueError(`${source} line ${number}: expected a JSON object per line, got ${line.slice(0, 80)}`);
  }
  return value as Record<string, unknown>;
}

/**
 * The rows of a validated batch as they stream in, one array per chunk of text: one JSON object per line (typed:
 * numbers, booleans, ISO timestamps, null); blank lines are skipped. A large batch never sits in memory as
 * objects, and the rows of a chunk go on together rather than one await each.
 */
export async function* ndjsonRowChunks(
  text: AsyncIterable<string>,
  source: string,
): AsyncGenerator<Record<string, unknown>[]> {
  let pending = "";
  let number = 0;
  for await (const chunk of text) {
    pending += chunk;
    const rows: Record<string, unknown>[] = [];
    let start = 0;
    for (let end = pending.indexOf("\n"); end !== -1; end = pending.indexOf("\n", start)) {
      number++;
      const line = pending.slice(start, end);
      start = end + 1;
      if (line.trim() !== "") rows.push(parseLine(line, source, number));
    }
    pending = pending.slice(start);
    if (rows.length > 0) yield rows;
  }
  if (pending.trim() !== "") yield [parseLine(pending, source, number + 1)];
}

/**
 * Puts rows in the store's shape, one array of values each: event time, entity key, then the stored columns in
 * `storedColumns(layout)` order. Timestamps become UTC ISO strings, the entity key text ("" when the dataset has none
 * or the row's is missing), and the write-time transforms are added. Values are not type-checked here: the COPY
 * writer does that when the batch is written, and a bad value fails the whole batch.
 * Counts what it encoded on the way.
 */
export class RowEncoder {
  rows = 0;
  labelledRows = 0;
  /** Latest event time seen (ISO, UTC); null before the first row. */
  maxEventTime: string | null = null;
  /** Per entity key, its latest row so far (by event time, then position): the rows the online table may take. */
  readonly latestByEntity = new Map<string, { eventTime: string; index: number }>();
  readonly #layout: TableLayout;
  readonly #columns: { name: string; computed: boolean; timestamp: boolean }[];

  constructor(layout: TableLayout) {
    this.#layout = layout;
    this.#columns = storedColumns(layout).map((column) => ({
      name: column.name,
      computed: column.role === "transform",
      timestamp: column.sqlType === "timestamptz",
    }));
  }

  encode(row: Readonly<Record<string, unknown>>): unknown[] {
    const layout = this.#layout;
    const index = this.rows;
    try {
      const eventTime = normalizeTimestamp(row[layout.eventTime], layout.eventTime);
      if (eventTime === null) throw new RowValueError(`event time column "${layout.eventTime}" is empty`);
      const outputs = layout.writeTransforms.length > 0 ? writeTransformValues(row, layout.writeTransforms) : {};
      const entityKey = entityKeyOf(row, layout.entityKey);
      const values: unknown[] = [eventTime, entityKey];
      for (const column of this.#columns) {
        const value = column.computed ? outputs[column.name] : row[column.name];
        values.push(column.timestamp ? normalizeTimestamp(value, column.name) : value);
      }
      this.rows++;
      const latest = this.latestByEntity.get(entityKey);
      if (latest === undefined || eventTime >= latest.eventTime)
        this.latestByEntity.set(entityKey, { eventTime, index });
      if (this.maxEventTime === null || eventTime > this.maxEventTime) this.maxEventTime = eventTime;
      const label = row[layout.label];
      if (label !== null && label !== undefined) this.labelledRows++;
      return values;
    } catch (err) {
      if (err instanceof RowValueError) throw new RowValueError(`row ${index}: ${err.message}`);
      throw err;
    }
  }
}

function entityKeyOf(row: Readonly<Record<string, unknown>>, entityKey: string | undefined): string {
  if (entityKey === undefined) return "";
  const value = row[entityKey];
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}
