import { CsvError, type Parser, parse } from "csv-parse";
import { BatchRejectedError } from "./rejection.ts";

/** Parses CSV bytes into records (arrays of fields); the first record is the header. */
export function csvParser(): Parser {
  return parse({ bom: true, skip_empty_lines: true });
}

/** A csv-parse error as a rejection; its message already names the line ("... at line 3"). */
export function asCsvRejection(error: unknown): unknown {
  if (!(error instanceof CsvError)) return error;
  return new BatchRejectedError("malformed_csv", `CSV batch is malformed: ${error.message}`, { cause: error });
}

function checkHeader(header: string[]): void {
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

/** From CSV records: checks the header, then yields each data row's `eventTime` field (undefined without that column). */
export function csvEventTimes(eventTime: string) {
  return async function* (records: AsyncIterable<string[]>): AsyncGenerator<unknown> {
    let column: number | undefined;
    for await (const record of records) {
      if (column === undefined) {
        checkHeader(record);
        column = record.indexOf(eventTime);
        continue;
      }
      yield column < 0 ? undefined : record[column];
    }
  };
}
