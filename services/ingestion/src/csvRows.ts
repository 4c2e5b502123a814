import { CsvError, type Parser, parse } from "csv-parse";
import type { RowSink } from "./batchProfile.ts";
import { BatchRejectedError } from "./rejection.ts";

/** Parses CSV bytes into records (arrays of fields); the first record is the header. */
export function csvParser(): Parser {
  return parse({ bom: true, skip_empty_lines: true });
}

/**
 * A csv-parse error as a rejection. Its message names a line; for an unclosed quote that is the last line (where
 * parsing ended), so the record the quote opened in is added.
 */
export function asCsvRejection(error: unknown): unknown {
  if (!(error instanceof CsvError)) return error;
  const records = (error as { records?: unknown }).records;
  const where =
    error.code === "CSV_QUOTE_NOT_CLOSED" && typeof records === "number"
      ? ` (the quote opens in record ${records + 1}, counting the header as record 1)`
      : "";
  return new BatchRejectedError("malformed_csv", `CSV batch is malformed: ${error.message}${where}`, { cause: error });
}

export function checkHeader(header: string[]): void {
  const seen = new Set<string>();
  for (const [index, name] of header.entries()) {
    if (seen.has(name)) {
      throw new BatchRejectedError(
        "duplicate_header",
        `CSV header names column ${JSON.stringify(name)} twice (again as column ${index + 1}); column names must be unique`,
      );
    }
    seen.add(name);
  }
}

/**
 * Reads CSV records: checks the header, then hands each data row's `eventTime` field (undefined without that
 * column) to `row`.
 */
export function csvRows(eventTime: string, row: RowSink) {
  return async (records: AsyncIterable<string[]>): Promise<void> => {
    let column: number | undefined;
    for await (const record of records) {
      if (column === undefined) {
        checkHeader(record);
        column = record.indexOf(eventTime);
      } else {
        row(column < 0 ? undefined : record[column]);
      }
    }
  };
}

/**
 * The header and one column of CSV that has no quotes, no carriage returns and no byte-order mark, where every
 * line has as many fields as the header: what csv-parse would read from it (empty lines skipped), without the
 * parser. undefined for any other CSV, which csv-parse has to read (and report on). Values are undefined when
 * the header lacks the column.
 */
export function plainCsvColumn(
  text: string,
  column: string,
): { header: string[]; values: (string | undefined)[] } | undefined {
  if (text.includes('"') || text.includes("\r") || text.startsWith("\uFEFF")) return undefined;
  let header: string[] | undefined;
  let index = -1;
  const values: (string | undefined)[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    if (end > start) {
      const fields = text.slice(start, end).split(",");
      if (header === undefined) {
        header = fields;
        index = fields.indexOf(column);
      } else if (fields.length !== header.length) {
        return undefined;
      } else {
        values.push(index < 0 ? undefined : fields[index]);
      }
    }
    start = end + 1;
  }
  return { header: header ?? [], values };
}
