import type { BatchCompression, BatchFormat } from "@gyre/contracts";
import {
  CorruptGzipError,
  DecompressedTooLargeError,
  gunzipBytes,
  openParquet,
  parquetBytes,
  parquetRowGroups,
  UnreadableParquetError,
} from "@gyre/formats";
import { CsvBatchError, parseCsvBatch } from "./csvBatch.ts";
import { headerOfRecords } from "./report.ts";

/** A raw batch that cannot be read as rows: unknown format, corrupt gzip or Parquet, not UTF-8, malformed CSV or JSON. */
export class UnreadableBatchError extends Error {
  override name = "UnreadableBatchError";
}

/** A batch as read: the header as sent (duplicates kept for CSV) and the data rows in order. */
export type RawBatch = { format: BatchFormat; header: string[]; rows: Record<string, unknown>[] };

/** How a raw batch is stored: its format, and the compression of its bytes (as the producer sent them). */
export interface RawBatchKind {
  format: BatchFormat;
  compression?: BatchCompression;
}

const KIND_BY_EXTENSION: Record<string, RawBatchKind> = {
  csv: { format: "csv" },
  ndjson: { format: "ndjson" },
  json: { format: "json" },
  parquet: { format: "parquet" },
  "csv.gz": { format: "csv", compression: "gzip" },
  "ndjson.gz": { format: "ndjson", compression: "gzip" },
  "json.gz": { format: "json", compression: "gzip" },
};

/** The kind of batch an object key's extension names: `.csv`, `.ndjson`, `.json` (each maybe `.gz`), `.parquet`. */
export function rawBatchKindOfKey(objectKey: string): RawBatchKind {
  const extension = /\.((?:csv|ndjson|json)(?:\.gz)?|parquet)$/i.exec(objectKey)?.[1]?.toLowerCase();
  const kind = extension === undefined ? undefined : KIND_BY_EXTENSION[extension];
  if (kind === undefined) {
    throw new UnreadableBatchError(
      `raw batch "${objectKey}": the key does not end in .csv, .ndjson or .json (each maybe with .gz), or .parquet`,
    );
  }
  return kind;
}

/**
 * Reads a stored raw batch: gunzipped first (to at most `maxBytes`) when compressed; Parquet through
 * readParquetBatch, text through readRawBatch.
 */
export async function readStoredBatch(kind: RawBatchKind, bytes: Uint8Array, maxBytes: number): Promise<RawBatch> {
  if (kind.format === "parquet") return readParquetBatch(bytes);
  if (kind.compression !== "gzip") return readRawBatch(kind.format, bytes);
  let text: Uint8Array;
  try {
    text = gunzipBytes(bytes, maxBytes);
  } catch (error) {
    if (error instanceof CorruptGzipError) throw new UnreadableBatchError(error.message);
    if (error instanceof DecompressedTooLargeError) {
      throw new UnreadableBatchError(
        `${error.message}, over the limit of ${maxBytes} bytes (VALIDATION_MAX_BATCH_BYTES)`,
      );
    }
    throw error;
  }
  return readRawBatch(kind.format, text);
}

/** A Parquet batch: the header is its schema's columns, values as JSON scalars (dates as ISO strings). */
export async function readParquetBatch(bytes: Uint8Array): Promise<RawBatch> {
  try {
    const table = await openParquet(parquetBytes(bytes));
    const rows: Record<string, unknown>[] = [];
    for await (const group of parquetRowGroups(table)) rows.push(...group);
    return { format: "parquet", header: table.columns, rows };
  } catch (error) {
    if (error instanceof UnreadableParquetError) throw new UnreadableBatchError(error.message);
    throw error;
  }
}

/** Reads a raw batch's text in the given format; UnreadableBatchError says what is wrong and where. */
export function readRawBatch(format: Exclude<BatchFormat, "parquet">, bytes: Uint8Array): RawBatch {
  const text = decodeUtf8(bytes);
  switch (format) {
    case "csv":
      return { format, ...readCsv(text) };
    case "ndjson":
      return recordsBatch(format, readNdjson(text));
    case "json":
      return recordsBatch(format, readJsonArray(text));
  }
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new UnreadableBatchError("raw batch is not UTF-8 text");
  }
}

function readCsv(text: string): { header: string[]; rows: Record<string, unknown>[] } {
  try {
    return parseCsvBatch(text);
  } catch (error) {
    if (error instanceof CsvBatchError) throw new UnreadableBatchError(error.message);
    throw error;
  }
}

function recordsBatch(format: BatchFormat, rows: Record<string, unknown>[]): RawBatch {
  return { format, header: headerOfRecords(rows), rows };
}

/** One JSON object per line; blank lines are skipped. */
function readNdjson(text: string): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === "") return;
    rows.push(asRecord(parseJson(line, `NDJSON line ${index + 1}`), `NDJSON line ${index + 1}`));
  });
  return rows;
}

/** A JSON array of row objects. */
function readJsonArray(text: string): Record<string, unknown>[] {
  const value = parseJson(text, "JSON batch");
  if (!Array.isArray(value))
    throw new UnreadableBatchError(`JSON batch is ${kindOf(value)}, expected an array of rows`);
  return value.map((row, index) => asRecord(row, `JSON batch row ${index}`));
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UnreadableBatchError(`${where} is not valid JSON: ${(error as Error).message}`);
  }
}

function asRecord(value: unknown, where: string): Record<string, unknown> {
  if (kindOf(value) !== "an object") throw new UnreadableBatchError(`${where} is ${kindOf(value)}, expected an object`);
  return value as Record<string, unknown>;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
