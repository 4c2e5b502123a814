import { CsvError, parse } from "csv-parse/sync";

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
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true });
  } catch (error) {
    if (error instanceof CsvError) throw new CsvBatchError(`CSV batch is unreadable: ${error.message}`);
    throw error;
  }
  const [header = [], ...dataRows] = records;
  // fromEntries defines own properties, so a column named "__proto__" stays data, not a prototype.
  const rows = dataRows.map((fields) => Object.fromEntries(header.map((name, index) => [name, fields[index] ?? ""])));
  return { header, rows };
}
