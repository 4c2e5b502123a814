import {
  asyncBufferFromFile,
  openParquet,
  type ParquetTable,
  parquetBytes,
  parquetRowGroups,
  UnreadableParquetError,
} from "@gyre/formats";
import type { BatchProfile, ProfileOptions } from "./batchProfile.ts";
import { RowCounter } from "./batchProfile.ts";
import type { RawBatch } from "./rawBatch.ts";
import { BatchRejectedError } from "./rejection.ts";

function asParquetRejection(error: unknown): unknown {
  if (!(error instanceof UnreadableParquetError)) return error;
  return new BatchRejectedError("unreadable_parquet", error.message, { cause: error });
}

async function open(raw: RawBatch): Promise<ParquetTable> {
  if (raw.bytes !== undefined) return openParquet(parquetBytes(raw.bytes));
  if (raw.path === undefined) throw new Error("a raw batch is held neither in memory nor in a file");
  return openParquet(await asyncBufferFromFile(raw.path));
}

/**
 * Reads a Parquet batch: the footer (a truncated file or one that is not Parquet fails there), the row count it
 * declares against INGEST_MAX_ROWS before any page is read, then every column one row group at a time, so a
 * corrupt page or a column of values Gyre cannot read is turned away here rather than in validation.
 */
export async function profileParquet(raw: RawBatch, options: ProfileOptions): Promise<BatchProfile> {
  try {
    const table = await open(raw);
    const counter = new RowCounter(options.maxRows);
    if (table.rowCount > options.maxRows) counter.tooMany();
    const columns = new Set<string>();
    for (const name of table.columns) {
      if (columns.has(name)) {
        throw new BatchRejectedError(
          "unreadable_parquet",
          `Parquet schema names column ${JSON.stringify(name)} twice; column names must be unique`,
        );
      }
      columns.add(name);
    }
    for await (const rows of parquetRowGroups(table)) {
      for (const row of rows) counter.row(row[options.eventTime]);
    }
    return counter.profile("parquet");
  } catch (error) {
    throw asParquetRejection(error);
  }
}
