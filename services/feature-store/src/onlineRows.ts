import type { OnlineRow } from "@gyre/contracts";
import { type DatasetSpec, historyDepth } from "@gyre/spec";
import type pg from "pg";
import { quoteIdent as q, SYSTEM_COLUMNS, storedColumns, type TableLayout } from "./layout.ts";
import { cellValue, featureTypes } from "./pgValues.ts";

/** Above this (as JSON), features.updated carries no rows and serving reloads the entities it holds instead. */
export const MAX_ONLINE_ROWS_BYTES = 256 * 1024;

/**
 * The rows of a written batch that serving keeps in memory: per entity, those of the batch's latest event times
 * that the spec's lags and rolling means reach (serving merges them into what it holds, whatever order batches
 * come in). undefined when they would make the event too large.
 */
export async function batchOnlineRows(
  pool: pg.Pool,
  spec: DatasetSpec,
  layout: TableLayout,
  batchId: string,
): Promise<OnlineRow[] | undefined> {
  const depth = historyDepth(spec.transforms);
  if (depth === 0) return [];
  const { entityKey, eventTime, batchSeq, rowIndex } = SYSTEM_COLUMNS;
  const stored = storedColumns(layout).map((column) => column.name);
  const { rows } = await pool.query<Record<string, unknown>>({
    text: `SELECT ${[entityKey, eventTime, batchSeq, rowIndex, ...stored].map(q).join(", ")}
      FROM ${q(layout.offlineTable)} WHERE ${q(SYSTEM_COLUMNS.batchId)} = $1
      ORDER BY ${q(entityKey)}, ${q(eventTime)} DESC, ${q(rowIndex)} DESC`,
    values: [batchId],
    types: featureTypes,
  });
  const kept: OnlineRow[] = [];
  let entity: string | undefined;
  let times = 0;
  let lastTime: number | undefined;
  for (const row of rows) {
    const key = row[entityKey] as string;
    const time = (row[eventTime] as Date).getTime();
    if (key !== entity) {
      entity = key;
      times = 0;
      lastTime = undefined;
    }
    if (time !== lastTime) {
      times += 1;
      lastTime = time;
    }
    if (times > depth) continue;
    const values: OnlineRow["values"] = {};
    for (const name of stored) values[name] = cellValue(row[name]);
    kept.push({
      entity: key,
      eventTime: new Date(time).toISOString(),
      batchSeq: Number(row[batchSeq]),
      rowIndex: Number(row[rowIndex]),
      values,
    });
  }
  return JSON.stringify(kept).length > MAX_ONLINE_ROWS_BYTES ? undefined : kept.reverse();
}
