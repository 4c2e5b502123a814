import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { createGunzip, gzipSync } from "node:zlib";
import type { BatchCompression, BatchFormat } from "@gyre/contracts";
import { batchKey, csvBatches } from "./csvBatches.ts";
import { CliError } from "./failures.ts";

/** What a file holds, from its name. */
export interface FileKind {
  format: BatchFormat;
  compression?: BatchCompression;
}

const KINDS: [string, FileKind][] = [
  [".csv.gz", { format: "csv", compression: "gzip" }],
  [".ndjson.gz", { format: "ndjson", compression: "gzip" }],
  [".json.gz", { format: "json", compression: "gzip" }],
  [".csv", { format: "csv" }],
  [".ndjson", { format: "ndjson" }],
  [".json", { format: "json" }],
  [".parquet", { format: "parquet" }],
];

/** The kind of file a name ends in; anything else is an error listing the endings `gyre ingest` reads. */
export function fileKind(file: string): FileKind {
  const found = KINDS.find(([ending]) => file.toLowerCase().endsWith(ending));
  if (found === undefined) {
    throw new CliError(
      `file ${JSON.stringify(file)}: gyre ingest reads ${KINDS.map(([ending]) => ending).join(", ")} (by the file name's ending)`,
    );
  }
  return found[1];
}

/** One batch of a file, as it will be sent: in the file's format and compression. */
export interface FileBatch {
  index: number;
  batchKey: string;
  /** The columns the batch's rows have (the CSV header, the keys of JSON rows, the Parquet schema). */
  columns: string[];
  rows: number;
  /** The bytes ingestion receives and hashes: the text, the gzip of it, or the Parquet file. */
  bytes: Buffer;
  /** A JSON batch's row objects, which go inline as an array rather than as text. */
  jsonRows?: JsonRow[];
  /** Bytes of the file read so far (for progress). */
  bytesRead: number;
}

export interface BatchingOptions {
  batchRows: number;
  keyPrefix: string;
}

/**
 * Splits a file into batches of `batchRows` rows, each in the file's own format and compression (a .csv.gz gives
 * gzip-compressed CSV batches). A Parquet file is one batch, sent as it is.
 */
export async function* fileBatches(file: string, kind: FileKind, options: BatchingOptions): AsyncGenerator<FileBatch> {
  if (kind.format === "parquet") {
    yield await parquetBatch(file, options);
    return;
  }
  const source = createReadStream(file);
  const text: Readable = kind.compression === "gzip" ? source.pipe(createGunzip()) : source;
  source.on("error", (error) => text.destroy(error));
  const encode = (body: string) => (kind.compression === "gzip" ? gzipSync(body) : Buffer.from(body, "utf8"));
  try {
    if (kind.format === "csv") {
      for await (const batch of csvBatches(text, options)) {
        const { index, batchKey, header, rows } = batch;
        yield { index, batchKey, columns: header, rows, bytes: encode(batch.csv), bytesRead: source.bytesRead };
      }
    } else {
      const records = kind.format === "ndjson" ? ndjsonRecords(text) : jsonArrayRecords(text, file);
      let index = 0;
      for await (const rows of inBatches(records, options.batchRows)) {
        const body =
          kind.format === "ndjson" ? rows.map((row) => `${JSON.stringify(row)}\n`).join("") : JSON.stringify(rows);
        yield {
          index,
          batchKey: batchKey(options.keyPrefix, index),
          columns: [...new Set(rows.flatMap((row) => Object.keys(row)))],
          rows: rows.length,
          bytes: encode(body),
          ...(kind.format === "json" && kind.compression === undefined ? { jsonRows: rows } : {}),
          bytesRead: source.bytesRead,
        };
        index += 1;
      }
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("Z_")) {
      throw new CliError(`file ${JSON.stringify(file)} is not readable gzip: ${(error as Error).message}`);
    }
    throw error;
  }
}

async function* inBatches<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** A row of an NDJSON or JSON file: column → number, string, boolean or null. */
export type JsonRow = Record<string, string | number | boolean | null>;

function asRow(value: unknown, where: string): JsonRow {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CliError(`${where} is not a row object: ${JSON.stringify(value)?.slice(0, 80)}`);
  }
  for (const [column, cell] of Object.entries(value)) {
    if (typeof cell === "object" && cell !== null) {
      throw new CliError(
        `${where}: column ${JSON.stringify(column)} holds ${Array.isArray(cell) ? "an array" : "an object"}; rows hold numbers, strings, booleans and null`,
      );
    }
  }
  return value as JsonRow;
}

/** One row object per non-blank line. */
async function* ndjsonRecords(text: Readable): AsyncGenerator<JsonRow> {
  let line = 0;
  for await (const content of createInterface({ input: text, crlfDelay: Number.POSITIVE_INFINITY })) {
    line += 1;
    if (content.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch (error) {
      throw new CliError(`NDJSON line ${line} is not JSON: ${(error as Error).message}`);
    }
    yield asRow(value, `NDJSON line ${line}`);
  }
}

/** The row objects of a JSON array, read whole (a JSON array has no row boundaries to stream by). */
async function* jsonArrayRecords(text: Readable, file: string): AsyncGenerator<JsonRow> {
  const chunks: Buffer[] = [];
  for await (const chunk of text) chunks.push(chunk as Buffer);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch (error) {
    throw new CliError(`JSON file ${JSON.stringify(file)} is not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(value)) throw new CliError(`JSON file ${JSON.stringify(file)}: expected an array of row objects`);
  for (const [index, element] of value.entries()) yield asRow(element, `JSON row ${index + 1}`);
}

/** A Parquet file as one batch: its columns and row count from the footer (a file that is not Parquet fails here). */
async function parquetBatch(file: string, options: BatchingOptions): Promise<FileBatch> {
  const { openParquet, parquetBytes, UnreadableParquetError } = await import("@gyre/formats");
  const bytes = await readFile(file);
  try {
    const table = await openParquet(parquetBytes(bytes));
    return {
      index: 0,
      batchKey: batchKey(options.keyPrefix, 0),
      columns: table.columns,
      rows: table.rowCount,
      bytes,
      bytesRead: bytes.length,
    };
  } catch (error) {
    if (error instanceof UnreadableParquetError) throw new CliError(`file ${JSON.stringify(file)}: ${error.message}`);
    throw error;
  }
}
