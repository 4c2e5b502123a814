import { CsvError, parse } from "csv-parse/sync";
import { setOwn } from "./cells.ts";

export class CsvBatchError extends Error {
  override name = "CsvBatchError";
}

/** A CSV batch as read: the header with duplicates kept, and each data row keyed by it (values are strings). */
export type CsvBatch = { header: string[]; rows: Record<string, string>[] };

/**
 * Reads a CSV batch whose first line is the header. The header is kept as written, so duplicated names
 * reach checkColumns (csv-parse's `columns: true` would silently keep only one of them). A malformed
 * file, or a row with a different number of fields than the header, throws CsvBatchError naming the line:
 * such a row cannot be attributed to columns safely.
 */
export function parseCsvBatch(text: string): CsvBatch {
  const records = plainCsvRecords(text) ?? parseWithCsvParse(text);
  const [header = [], ...dataRows] = records;
  return { header, rows: dataRows.map((fields) => rowOf(header, fields)) };
}

function parseWithCsvParse(text: string): string[][] {
  try {
    return parse(text, { bom: true, skip_empty_lines: true });
  } catch (error) {
    if (error instanceof CsvError) throw new CsvBatchError(`CSV batch is unreadable: ${error.message}`);
    throw error;
  }
}

/**
 * The records of CSV that has no quotes, no carriage returns and no byte-order mark, where every line has as
 * many fields as the header: split on "\n" and ",", which is all csv-parse would do with it (empty lines
 * skipped), at a fraction of the cost. undefined for anything else, which csv-parse reads (and reports on).
 */
export function plainCsvRecords(text: string): string[][] | undefined {
  if (text.includes('"') || text.includes("\r") || text.startsWith("\uFEFF")) return undefined;
  const records: string[][] = [];
  let width = -1;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    if (end > start) {
      const fields = text.slice(start, end).split(",");
      if (width === -1) width = fields.length;
      else if (fields.length !== width) return undefined;
      records.push(fields);
    }
    start = end + 1;
  }
  return records;
}

/** A row keyed by the header; the last of duplicated names wins. */
function rowOf(header: readonly string[], fields: readonly string[]): Record<string, string> {
  const row: Record<string, string> = {};
  for (let index = 0; index < header.length; index++) setOwn(row, header[index] as string, fields[index] ?? "");
  return row;
}
