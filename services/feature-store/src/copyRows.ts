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
  return `"${text.replaceAll('"', '""')}"`;
}

const CHUNK_CHARS = 256 * 1024;

function* csvChunks(rows: Iterable<readonly unknown[]>): Generator<string> {
  let chunk = "";
  for (const row of rows) {
    chunk += `${row.map(csvField).join(",")}\n`;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk !== "") yield chunk;
}

/** Streams rows into `table` with COPY FROM STDIN (CSV); a value a column rejects fails the whole COPY. */
export async function copyRows(
  client: pg.ClientBase,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly unknown[]>,
): Promise<void> {
  const sql = `COPY ${q(table)} (${columns.map(q).join(", ")}) FROM STDIN WITH (FORMAT csv)`;
  await pipeline(Readable.from(csvChunks(rows)), client.query(copyFrom(sql)));
}
