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

const CHUNK_CHARS = 256 * 1024;

async function* csvChunks(lines: AsyncIterable<string>): AsyncGenerator<string> {
  let chunk = "";
  for await (const line of lines) {
    chunk += `${line}\n`;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk !== "") yield chunk;
}

/**
 * Streams CSV lines (fields made with `csvField`, no newline) into `table` with COPY FROM STDIN; a value a column
 * rejects fails the whole COPY.
 */
export async function copyCsvLines(
  client: pg.ClientBase,
  table: string,
  columns: readonly string[],
  lines: AsyncIterable<string>,
): Promise<void> {
  const sql = `COPY ${q(table)} (${columns.map(q).join(", ")}) FROM STDIN WITH (FORMAT csv)`;
  await pipeline(Readable.from(csvChunks(lines)), client.query(copyFrom(sql)));
}
