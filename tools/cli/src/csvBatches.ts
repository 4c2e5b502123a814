import { basename } from "node:path";
import type { Readable } from "node:stream";
import { parse } from "csv-parse";

/** One batch of a CSV file: the header and up to `batchRows` records, as CSV text. */
export interface CsvBatch {
  /** 0-based position in the file. */
  index: number;
  /** The producer's key: `<prefix>-<index, 5 digits>`; the same file gives the same keys, so a re-send is a no-op. */
  batchKey: string;
  header: string[];
  rows: number;
  csv: string;
  /** Bytes of the file read so far (for progress). */
  bytesRead: number;
}

/** A batch key prefix from a file name: characters outside A-Z, a-z, 0-9, "." and "-" become "_". */
export function batchKeyPrefix(file: string): string {
  const name = basename(file).replace(/[^A-Za-z0-9.-]/g, "_");
  return name.slice(0, 120) || "batch";
}

export function batchKey(prefix: string, index: number): string {
  return `${prefix}-${String(index).padStart(5, "0")}`;
}

/** One CSV field, quoted when it holds a comma, a quote, a line break, or leading or trailing spaces. */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(",");
}

/**
 * Splits a CSV with a header row into batches of at most `batchRows` records, each with the header. Records are
 * written back field by field (quoting normalised, empty lines dropped); a record with the wrong number of fields
 * is passed on as it is, for validation to judge.
 */
export async function* csvBatches(
  input: Readable,
  options: { batchRows: number; keyPrefix: string },
): AsyncGenerator<CsvBatch> {
  const parser = input.pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: true }));
  // pipe() does not pass the input's errors on (a gunzip's, a file's): without this the loop below would wait forever
  input.on("error", (error) => parser.destroy(error));
  let header: string[] | undefined;
  let lines: string[] = [];
  let index = 0;
  const batch = (): CsvBatch => {
    const csv = `${[csvLine(header ?? []), ...lines].join("\n")}\n`;
    const done: CsvBatch = {
      index,
      batchKey: batchKey(options.keyPrefix, index),
      header: header ?? [],
      rows: lines.length,
      csv,
      bytesRead: parser.info.bytes,
    };
    index += 1;
    lines = [];
    return done;
  };
  for await (const record of parser as AsyncIterable<string[]>) {
    if (header === undefined) {
      header = record;
      continue;
    }
    lines.push(csvLine(record));
    if (lines.length >= options.batchRows) yield batch();
  }
  if (lines.length > 0) yield batch();
}
