import type { EntityFeatures, FeatureValue, GetOnlineFeaturesResponse, HistoryRow } from "@gyre/grpc";
import { historyDepth, parseUtcMillis, requestFeatures, type TimedRow } from "@gyre/spec";
import type pg from "pg";
import { specColumnMessages } from "./columnMessages.ts";
import { datasetState, writtenSpec } from "./datasetCatalog.ts";
import { quoteIdent as q, SYSTEM_COLUMNS, storedColumns, type TableLayout, tableLayout } from "./layout.ts";
import { cellValue, featureTypes } from "./pgValues.ts";
import { InvalidArgumentError } from "./requestErrors.ts";

export const MAX_ENTITY_KEYS = 10_000;

export function featureValue(value: unknown): FeatureValue {
  const cell = cellValue(value);
  if (cell === null) return { null_value: true };
  if (typeof cell === "number") return { number_value: cell };
  if (typeof cell === "boolean") return { bool_value: cell };
  return { string_value: cell };
}

/** The entity keys to look up: as given, or the single entity "" of a dataset without an entity key. */
export function entityKeysToRead(layout: TableLayout, requested: readonly string[]): string[] {
  if (requested.length > MAX_ENTITY_KEYS) {
    throw new InvalidArgumentError(`entity_keys: ${requested.length} keys, at most ${MAX_ENTITY_KEYS} per call`);
  }
  if (requested.length > 0) return [...requested];
  if (layout.entityKey === undefined) return [""];
  throw new InvalidArgumentError(
    `entity_keys is empty: dataset "${layout.dataset}" is keyed by "${layout.entityKey}"; name the entities to read`,
  );
}

/**
 * The stored rows of each entity that a request at `$2` can reach: those of its last `depth` distinct event times
 * strictly before `$2` (found through the (entity, event time) index, so a read costs the same whatever the length
 * of the entity's history), in the store's total order.
 */
function historySql(layout: TableLayout, depth: number): string {
  const { entityKey, eventTime, batchId, batchSeq, rowIndex } = SYSTEM_COLUMNS;
  const columns = [entityKey, eventTime, batchId, batchSeq, rowIndex, ...storedColumns(layout).map((c) => c.name)];
  // a time window reaches back a duration (historyDepth +∞): the whole history before $2
  const cut = !Number.isFinite(depth)
    ? "NULL"
    : `SELECT e.${q(eventTime)} FROM ${q(layout.offlineTable)} AS e
     WHERE e.${q(entityKey)} = k.entity AND e.${q(eventTime)} < $2
     GROUP BY e.${q(eventTime)} ORDER BY e.${q(eventTime)} DESC OFFSET ${depth - 1} LIMIT 1`;
  return `WITH cuts AS (
      SELECT k.entity, COALESCE((${cut}), '-infinity'::timestamptz) AS since FROM unnest($1::text[]) AS k(entity))
    SELECT ${columns.map((name) => `o.${q(name)}`).join(", ")}
    FROM cuts JOIN ${q(layout.offlineTable)} AS o
      ON o.${q(entityKey)} = cuts.entity AND o.${q(eventTime)} >= cuts.since AND o.${q(eventTime)} < $2
    ORDER BY o.${q(entityKey)}, o.${q(eventTime)}, o.${q(batchSeq)}, o.${q(rowIndex)}`;
}

/** `at` of a request as epoch milliseconds: now when empty. */
export function requestTime(at: string, now = Date.now()): number {
  if (at === "") return now;
  const millis = parseUtcMillis(at);
  if (millis === undefined)
    throw new InvalidArgumentError(`at ${JSON.stringify(at)}: expected an ISO 8601 date or time`);
  return millis;
}

function historyRow(layout: TableLayout, row: Record<string, unknown>): HistoryRow {
  const values: Record<string, FeatureValue> = {};
  for (const column of storedColumns(layout)) values[column.name] = featureValue(row[column.name]);
  return {
    event_time: String(cellValue(row[SYSTEM_COLUMNS.eventTime])),
    batch_seq: Number(row[SYSTEM_COLUMNS.batchSeq]),
    row_index: Number(row[SYSTEM_COLUMNS.rowIndex]),
    values,
  };
}

/** What GetOnlineFeatures answers: for each entity, the vector a request at `at` gets, and optionally its history. */
export async function onlineFeatures(
  pool: pg.Pool,
  dataset: string,
  request: { entityKeys: readonly string[]; at: string; withHistory: boolean },
): Promise<GetOnlineFeaturesResponse> {
  const at = requestTime(request.at);
  const state = await datasetState(pool, dataset);
  const spec = await writtenSpec(pool, dataset, state.specRevision);
  const layout = tableLayout(spec);
  const keys = entityKeysToRead(layout, request.entityKeys);
  const { rows } = await pool.query<Record<string, unknown>>({
    text: historySql(layout, Math.max(1, historyDepth(spec.transforms))),
    values: [[...new Set(keys)], new Date(at).toISOString()],
    types: featureTypes,
  });
  const { entityKey, eventTime } = SYSTEM_COLUMNS;
  const latestTimes = await pool.query<{ entity: string; latest: Date }>({
    text: `SELECT ${q(entityKey)} AS entity, ${q(eventTime)} AS latest FROM ${q(layout.onlineTable)} WHERE ${q(entityKey)} = ANY($1)`,
    values: [[...new Set(keys)]],
  });
  const latestOf = new Map(latestTimes.rows.map((row) => [row.entity, row.latest.toISOString()]));
  const histories = new Map<string, Record<string, unknown>[]>();
  for (const row of rows) {
    const key = row[SYSTEM_COLUMNS.entityKey] as string;
    const list = histories.get(key);
    if (list) list.push(row);
    else histories.set(key, [row]);
  }
  const atIso = new Date(at).toISOString();
  const entities: EntityFeatures[] = keys.map((key) => {
    const stored = histories.get(key) ?? [];
    const history = stored.map((row): TimedRow => {
      const values: Record<string, unknown> = {};
      for (const column of storedColumns(layout)) values[column.name] = cellValue(row[column.name]);
      return { time: (row[SYSTEM_COLUMNS.eventTime] as Date).getTime(), values };
    });
    const latest = stored.at(-1);
    const template: Record<string, unknown> = layout.entityKey === undefined ? {} : { [layout.entityKey]: key };
    for (const column of layout.columns) {
      if (latest && column.role !== "transform") template[column.name] = cellValue(latest[column.name]);
    }
    const vector = requestFeatures(spec, history, { ...template, [layout.eventTime]: atIso }, at);
    const values: Record<string, FeatureValue> = {};
    for (const column of layout.columns) values[column.name] = featureValue(vector[column.name] ?? null);
    return {
      entity_key: key,
      found: latest !== undefined,
      event_time: latest ? String(cellValue(latest[SYSTEM_COLUMNS.eventTime])) : "",
      values,
      batch_id: latest ? String(latest[SYSTEM_COLUMNS.batchId]) : "",
      history: request.withHistory ? stored.map((row) => historyRow(layout, row)) : [],
      latest_event_time: latestOf.get(key) ?? "",
    };
  });
  return { dataset, spec_revision: state.specRevision, columns: specColumnMessages(layout), entities, at: atIso };
}
