import type pg from "pg";
import type { SnapshotParams } from "./exportRequest.ts";
import { quoteIdent as q, SYSTEM_COLUMNS, type TableLayout } from "./layout.ts";
import { exportTypes } from "./pgValues.ts";
import { featureRowsSql, ROW_ORDER, ROW_ORDER_DESC } from "./readQuery.ts";

/** The rows a snapshot covers: its parameters, and every batch up to `maxBatchSeq` (later batches are invisible). */
export interface SnapshotScope extends SnapshotParams {
  maxBatchSeq: number;
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function timeLiteral(iso: string): string {
  if (!ISO_UTC.test(iso)) throw new RangeError(`time bound ${JSON.stringify(iso)}: expected toISOString() form`);
  return `'${iso}'::timestamptz`;
}

function seqFilter(scope: SnapshotScope): string {
  if (!Number.isSafeInteger(scope.maxBatchSeq))
    throw new RangeError(`maxBatchSeq ${scope.maxBatchSeq}: not an integer`);
  return `${q(SYSTEM_COLUMNS.batchSeq)} <= ${scope.maxBatchSeq}`;
}

/** Conditions on stored columns only, so the same ones serve the count and, outside the windows, the rows. */
function rowFilters(layout: TableLayout, scope: SnapshotScope): string[] {
  const filters: string[] = [];
  if (!scope.includeUnlabelled) filters.push(`${q(layout.label)} IS NOT NULL`);
  if (scope.window.kind === "timeRange") {
    const eventTime = q(SYSTEM_COLUMNS.eventTime);
    if (scope.window.start !== null) filters.push(`${eventTime} >= ${timeLiteral(scope.window.start)}`);
    if (scope.window.end !== null) filters.push(`${eventTime} < ${timeLiteral(scope.window.end)}`);
  }
  return filters;
}

const where = (filters: string[]) => (filters.length === 0 ? "" : `WHERE ${filters.join(" AND ")}`);

/** How many rows the training set has. */
export async function countTrainingRows(db: pg.ClientBase | pg.Pool, layout: TableLayout, scope: SnapshotScope) {
  const filters = [seqFilter(scope), ...rowFilters(layout, scope)];
  const { rows } = await db.query<{ total: string }>(
    `SELECT count(*) AS total FROM ${q(layout.offlineTable)} ${where(filters)}`,
  );
  const total = Number(rows[0]?.total ?? 0);
  return scope.window.kind === "lastRows" ? Math.min(total, scope.window.lastRows) : total;
}

/** The columns of an exported row, in header order: event time, entity key, then the spec's columns. */
export function exportedColumns(layout: TableLayout): string[] {
  return [SYSTEM_COLUMNS.eventTime, SYSTEM_COLUMNS.entityKey, ...layout.columns.map((column) => column.name)];
}

/**
 * The training set's rows in (event time, batch, row) order, with `exportedColumns`. The windows run over all of
 * the snapshot's rows, so a row's lags see history before the window; the window and the label filter apply
 * afterwards.
 */
export function trainingRowsSql(layout: TableLayout, scope: SnapshotScope): string {
  const features = featureRowsSql(layout, seqFilter(scope));
  const filtered = `SELECT * FROM (${features}) AS f ${where(rowFilters(layout, scope))}`;
  const output = exportedColumns(layout).map(q).join(", ");
  if (scope.window.kind !== "lastRows") return `SELECT ${output} FROM (${filtered}) AS rows ORDER BY ${ROW_ORDER}`;
  return `SELECT ${output} FROM (${filtered} ORDER BY ${ROW_ORDER_DESC} LIMIT ${scope.window.lastRows}) AS latest ORDER BY ${ROW_ORDER}`;
}

/** Memory for the export query's sorts and windows, per sort; PostgreSQL's default of 4 MB spills to disk. */
const EXPORT_WORK_MEM = "64MB";

/**
 * Runs `sql` through a cursor in a read-only transaction and yields its rows `chunkRows` at a time, as arrays in
 * column order. Stopping early (a cancelled call) closes the cursor and ends the transaction.
 */
export async function* fetchInChunks(pool: pg.Pool, sql: string, chunkRows: number): AsyncGenerator<unknown[][]> {
  const client = await pool.connect();
  let healthy = false;
  try {
    await client.query("BEGIN READ ONLY");
    // UTC for exportTypes' timestamp parser; sorts of a few hundred thousand rows fit in memory instead of on disk.
    await client.query("SET LOCAL TIME ZONE 'UTC'");
    await client.query(`SET LOCAL work_mem = '${EXPORT_WORK_MEM}'`);
    await client.query(`DECLARE training_rows NO SCROLL CURSOR FOR ${sql}`);
    for (;;) {
      const { rows } = await client.query<unknown[]>({
        text: `FETCH ${chunkRows} FROM training_rows`,
        rowMode: "array",
        types: exportTypes,
      });
      if (rows.length > 0) yield rows;
      if (rows.length < chunkRows) break;
    }
    await client.query("COMMIT");
    healthy = true;
  } finally {
    if (!healthy)
      await client.query("ROLLBACK").then(
        () => (healthy = true),
        () => undefined,
      );
    client.release(healthy ? undefined : true);
  }
}
