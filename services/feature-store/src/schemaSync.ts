import type pg from "pg";
import {
  LayoutError,
  quoteIdent as q,
  type SqlType,
  SYSTEM_COLUMNS,
  sqlName,
  storedColumns,
  type TableLayout,
} from "./layout.ts";

const { batchId, batchSeq, rowIndex, eventTime, entityKey } = SYSTEM_COLUMNS;

/** information_schema's data_type for each type the store uses. */
const INFORMATION_TYPE: Record<SqlType, string> = {
  "double precision": "double precision",
  bigint: "bigint",
  text: "text",
  boolean: "boolean",
  timestamptz: "timestamp with time zone",
};

type ExistingColumns = Map<string, Map<string, string>>;

async function existingColumns(client: pg.ClientBase, tables: string[]): Promise<ExistingColumns> {
  const { rows } = await client.query<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = ANY($1)`,
    [tables],
  );
  const existing: ExistingColumns = new Map();
  for (const row of rows) {
    const columns = existing.get(row.table_name) ?? new Map<string, string>();
    columns.set(row.column_name, row.data_type);
    existing.set(row.table_name, columns);
  }
  return existing;
}

function columnDefinitions(layout: TableLayout): string[] {
  return storedColumns(layout).map((column) => `${q(column.name)} ${column.sqlType}`);
}

function createOffline(layout: TableLayout): string[] {
  const table = layout.offlineTable;
  return [
    `CREATE TABLE IF NOT EXISTS ${q(table)} (
      ${q(batchId)} text NOT NULL,
      ${q(batchSeq)} bigint NOT NULL,
      ${q(rowIndex)} integer NOT NULL,
      ${q(eventTime)} timestamptz NOT NULL,
      ${q(entityKey)} text NOT NULL,
      ${[...columnDefinitions(layout), `PRIMARY KEY (${q(batchId)}, ${q(rowIndex)})`].join(",\n      ")}
    )`,
    `CREATE INDEX IF NOT EXISTS ${q(sqlName(`${table}_entity_time`))}
       ON ${q(table)} (${q(entityKey)}, ${q(eventTime)}, ${q(batchSeq)}, ${q(rowIndex)})`,
    // A training export of the latest N rows finds them here, newest first, instead of sorting the whole history.
    `CREATE INDEX IF NOT EXISTS ${q(sqlName(`${table}_time`))}
       ON ${q(table)} (${q(eventTime)}, ${q(batchSeq)}, ${q(rowIndex)})`,
  ];
}

function createOnline(layout: TableLayout): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${q(layout.onlineTable)} (
      ${q(entityKey)} text PRIMARY KEY,
      ${q(eventTime)} timestamptz NOT NULL,
      ${q(batchId)} text NOT NULL,
      ${q(batchSeq)} bigint NOT NULL,
      ${[`${q(rowIndex)} integer NOT NULL`, ...columnDefinitions(layout)].join(",\n      ")}
    )`,
  ];
}

/** ADD COLUMN for the spec's new columns; a column whose type changed cannot be stored in the same table. */
function addedColumns(layout: TableLayout, table: string, columns: Map<string, string>): string[] {
  const statements: string[] = [];
  for (const column of storedColumns(layout)) {
    const current = columns.get(column.name);
    if (current === undefined) {
      statements.push(`ALTER TABLE ${q(table)} ADD COLUMN IF NOT EXISTS ${q(column.name)} ${column.sqlType}`);
    } else if (current !== INFORMATION_TYPE[column.sqlType]) {
      throw new LayoutError(
        `dataset "${layout.dataset}": column "${column.name}" is stored as ${current}, but the spec now makes it ${column.specType} (${column.sqlType}); a column cannot change type, give it a new name`,
      );
    }
  }
  return statements;
}

/**
 * Creates the dataset's offline and online tables, or adds the columns a new spec revision brings. Checks the
 * catalog first, so a batch that changes nothing takes no table lock beyond its inserts. Run it inside the
 * batch's transaction, after the dataset's write lock.
 */
export async function syncTables(client: pg.ClientBase, layout: TableLayout): Promise<string[]> {
  const existing = await existingColumns(client, [layout.offlineTable, layout.onlineTable]);
  const statements: string[] = [];
  for (const [table, create] of [
    [layout.offlineTable, createOffline],
    [layout.onlineTable, createOnline],
  ] as const) {
    const columns = existing.get(table);
    statements.push(...(columns ? addedColumns(layout, table, columns) : create(layout)));
  }
  for (const statement of statements) await client.query(statement);
  return statements;
}
