import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { quoteIdent as q } from "./layout.ts";

/**
 * One CSV field for COPY: an unquoted empty field is NULL, every string is quoted (so "" stays an empty
 * string), and anything that is not a scalar goes as JSON text, for the typed column to reject.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.includes('"') ? `"${text.replaceAll('"', '""')}"` : `"${text}"`;
}

/**
 * Streams CSV (pieces of whole lines, fields made with `csvField`, each line ending in a newline) into `table`
 * with COPY FROM STDIN; a value a column rejects fails the whole COPY.
 */
export async function copyCsv(
  client: pg.ClientBase,
  table: string,
  columns: readonly string[],
  csv: AsyncIterable<string>,
): Promise<void> {
  const sql = `COPY ${q(table)} (${columns.map(q).join(", ")}) FROM STDIN WITH (FORMAT csv)`;
  await pipeline(Readable.from(csv), client.query(copyFrom(sql)));
}
