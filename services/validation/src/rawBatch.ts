import type { BatchFormat } from "@gyre/contracts";
import { CsvBatchError, parseCsvBatch } from "./csvBatch.ts";
import { headerOfRecords } from "./report.ts";

/** A raw batch that cannot be read as rows: unknown format, not UTF-8, malformed CSV or JSON. */
export class UnreadableBatchError extends Error {
  override name = "UnreadableBatchError";
}

/** A batch as read: the header as sent (duplicates kept for CSV) and the data rows in order. */
export type RawBatch = { format: BatchFormat; header: string[]; rows: Record<string, unknown>[] };

const FORMAT_BY_EXTENSION: Record<string, BatchFormat> = { csv: "csv", ndjson: "ndjson", json: "json" };

/** The batch format named by an object key's extension: `.csv`, `.ndjson` or `.json`. */
export function batchFormatOfKey(objectKey: string): BatchFormat {
  const extension = /\.([A-Za-z0-9]+)$/.exec(objectKey)?.[1]?.toLowerCase();
  const format = extension === undefined ? undefined : FORMAT_BY_EXTENSION[extension];
  if (format === undefined) {
    throw new UnreadableBatchError(`raw batch "${objectKey}": the key does not end in .csv, .ndjson or .json`);
  }
  return format;
}

/** Reads a raw batch's bytes in the given format; UnreadableBatchError says what is wrong and where. */
export function readRawBatch(format: BatchFormat, bytes: Uint8Array): RawBatch {
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
