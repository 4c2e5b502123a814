import type { EntityFeatures, FeatureValue, GetOnlineFeaturesResponse } from "@gyre/grpc";
import { historyDepth } from "@gyre/spec";
import type pg from "pg";
import { specColumnMessages } from "./columnMessages.ts";
import { datasetState, writtenSpec } from "./datasetCatalog.ts";
import { quoteIdent as q, SYSTEM_COLUMNS, storedColumns, type TableLayout, tableLayout } from "./layout.ts";
import { cellValue, featureTypes } from "./pgValues.ts";
import { featureRowsSql } from "./readQuery.ts";
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
 * The latest row of each entity from the online table, with the read-time transforms (lag, rolling mean) as of
 * that row. Those are computed from the entity's offline rows, but only from the last `historyDepth` distinct
 * event times before the latest one (found through the (entity, event time) index), so a read costs the same
 * whatever the length of the entity's history.
 */
function latestRowsSql(layout: TableLayout): string {
  const { entityKey, eventTime, batchId, rowIndex } = SYSTEM_COLUMNS;
  const online = [entityKey, eventTime, batchId, ...storedColumns(layout).map((column) => column.name)];
  const computed = layout.columns.filter((column) => !column.stored).map((column) => column.name);
  const select = [...online.map((name) => `o.${q(name)}`), ...computed.map((name) => `f.${q(name)}`)].join(", ");
  const from = `FROM ${q(layout.onlineTable)} AS o`;
  const where = `WHERE o.${q(entityKey)} = ANY($1)`;
  if (computed.length === 0) return `SELECT ${select} ${from} ${where}`;
  const history = `SELECT e.${q(eventTime)} FROM ${q(layout.offlineTable)} AS e
     WHERE e.${q(entityKey)} = o.${q(entityKey)} AND e.${q(eventTime)} < o.${q(eventTime)}
     GROUP BY e.${q(eventTime)} ORDER BY e.${q(eventTime)} DESC OFFSET ${historyDepth(layout.readTransforms) - 1} LIMIT 1`;
  const cuts = `SELECT o.${q(entityKey)} AS entity, COALESCE((${history}), '-infinity') AS since ${from} ${where}`;
  const recent = `EXISTS (SELECT 1 FROM cuts WHERE cuts.entity = ${q(entityKey)} AND ${q(eventTime)} >= cuts.since)`;
  return `WITH cuts AS (${cuts})
    SELECT ${select} ${from}
    LEFT JOIN (${featureRowsSql(layout, recent)}) AS f
      ON f.${q(batchId)} = o.${q(batchId)} AND f.${q(rowIndex)} = o.${q(rowIndex)}
    ${where}`;
}

export async function onlineFeatures(
  pool: pg.Pool,
  dataset: string,
  requestedKeys: readonly string[],
): Promise<GetOnlineFeaturesResponse> {
  const state = await datasetState(pool, dataset);
  const layout = tableLayout(await writtenSpec(pool, dataset, state.specRevision));
  const keys = entityKeysToRead(layout, requestedKeys);
  const { rows } = await pool.query<Record<string, unknown>>({
    text: latestRowsSql(layout),
    values: [[...new Set(keys)]],
    types: featureTypes,
  });
  const byKey = new Map(rows.map((row) => [row[SYSTEM_COLUMNS.entityKey] as string, row]));
  const entities: EntityFeatures[] = keys.map((key) => {
    const row = byKey.get(key);
    if (!row) return { entity_key: key, found: false, event_time: "", values: {}, batch_id: "" };
    const values: Record<string, FeatureValue> = {};
    for (const column of layout.columns) values[column.name] = featureValue(row[column.name]);
    return {
      entity_key: key,
      found: true,
      event_time: String(cellValue(row[SYSTEM_COLUMNS.eventTime])),
      values,
      batch_id: String(row[SYSTEM_COLUMNS.batchId]),
    };
  });
  return { dataset, spec_revision: state.specRevision, columns: specColumnMessages(layout), entities };
}
