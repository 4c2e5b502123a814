import { historyDepth } from "@gyre/spec";
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

/** How many rows the training set has (for the latest N, counting stops at N). */
export async function countTrainingRows(db: pg.ClientBase | pg.Pool, layout: TableLayout, scope: SnapshotScope) {
  const filters = [seqFilter(scope), ...rowFilters(layout, scope)];
  const matching = `SELECT 1 FROM ${q(layout.offlineTable)} ${where(filters)}`;
  const limited = scope.window.kind === "lastRows" ? `${matching} LIMIT ${scope.window.lastRows}` : matching;
  const { rows } = await db.query<{ total: string }>(`SELECT count(*) AS total FROM (${limited}) AS counted`);
  return Number(rows[0]?.total ?? 0);
}

/** The columns of an exported row, in header order: event time, entity key, then the spec's columns. */
export function exportedColumns(layout: TableLayout): string[] {
  return [SYSTEM_COLUMNS.eventTime, SYSTEM_COLUMNS.entityKey, ...layout.columns.map((column) => column.name)];
}

/**
 * The training set's rows in (event time, batch, row) order, with `exportedColumns`. The windows run over the
 * snapshot's rows of each entity from the earliest that a lag or rolling mean of a training row can reach (see
 * `historyCuts`), so a row's lags see history before the window; the window and the label filter apply afterwards.
 */
export function trainingRowsSql(layout: TableLayout, scope: SnapshotScope): string {
  const cuts = historyCuts(layout, scope);
  const { entityKey, eventTime } = SYSTEM_COLUMNS;
  // Per entity, a range scan of the (entity, event time) index from its cut. OFFSET 0 keeps PostgreSQL from
  // flattening the lateral subquery into a hash join over a scan of the whole table.
  const reachable = `(SELECT reached.* FROM history_cuts AS cut CROSS JOIN LATERAL (
      SELECT * FROM ${q(layout.offlineTable)} AS stored
      WHERE stored.${q(entityKey)} = cut.entity AND stored.${q(eventTime)} >= cut.since OFFSET 0) AS reached) AS bounded`;
  const features = cuts
    ? featureRowsSql(layout, seqFilter(scope), reachable)
    : featureRowsSql(layout, seqFilter(scope));
  const filtered = `SELECT * FROM (${features}) AS f ${where(rowFilters(layout, scope))}`;
  const output = exportedColumns(layout).map(q).join(", ");
  const prefix = cuts ? `WITH history_cuts AS MATERIALIZED (${cuts}) ` : "";
  if (scope.window.kind !== "lastRows")
    return `${prefix}SELECT ${output} FROM (${filtered}) AS rows ORDER BY ${ROW_ORDER}`;
  return `${prefix}SELECT ${output} FROM (${filtered} ORDER BY ${ROW_ORDER_DESC} LIMIT ${scope.window.lastRows}) AS latest ORDER BY ${ROW_ORDER}`;
}

/**
 * Per entity with a row in the training window, the earliest event time its windows can reach (`since`), so an
 * export reads what the window needs, not the whole history. A lag or rolling window of k rows before a row reaches
 * at most k distinct earlier event times (ties take the value of their group's first row, whose preceding rows are
 * strictly earlier), and a transform over another adds their reaches (`historyDepth`): so a training row's values
 * need only the rows at or after the `historyDepth`-th distinct event time before the entity's first training row,
 * found through the (entity, event time) index. Every row from there on is kept, so each window sees the same
 * preceding rows as over the whole history, and the outputs are equal. Undefined for the window "all".
 */
function historyCuts(layout: TableLayout, scope: SnapshotScope): string | undefined {
  if (scope.window.kind === "all") return undefined;
  const { entityKey, eventTime, batchSeq } = SYSTEM_COLUMNS;
  const table = q(layout.offlineTable);
  const filters = [seqFilter(scope), ...rowFilters(layout, scope)];
  const windowRows =
    scope.window.kind === "lastRows"
      ? `SELECT ${q(entityKey)}, ${q(eventTime)} FROM ${table} ${where(filters)} ORDER BY ${ROW_ORDER_DESC} LIMIT ${scope.window.lastRows}`
      : `SELECT ${q(entityKey)}, ${q(eventTime)} FROM ${table} ${where(filters)}`;
  const starts = `SELECT ${q(entityKey)} AS entity, min(${q(eventTime)}) AS first FROM (${windowRows}) AS w GROUP BY ${q(entityKey)}`;
  const depth = historyDepth(layout.readTransforms);
  // a time window reaches back a duration, not a number of event times: read each entity's whole history
  if (!Number.isFinite(depth)) return undefined;
  if (depth === 0) return `SELECT entity, first AS since FROM (${starts}) AS starts`;
  const reach = `SELECT e.${q(eventTime)} FROM ${table} AS e
     WHERE e.${q(entityKey)} = starts.entity AND e.${q(eventTime)} < starts.first AND e.${q(batchSeq)} <= ${scope.maxBatchSeq}
     GROUP BY e.${q(eventTime)} ORDER BY e.${q(eventTime)} DESC OFFSET ${depth - 1} LIMIT 1`;
  return `SELECT entity, COALESCE((${reach}), '-infinity') AS since FROM (${starts}) AS starts`;
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
