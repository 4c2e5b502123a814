import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { BatchFormat } from "@gyre/contracts";
import { asCsvRejection, csvParser, csvRows } from "./csvRows.ts";
import { type EventTimeRange, EventTimeSpan } from "./eventTime.ts";
import { jsonArrayRows, ndjsonRows } from "./jsonRows.ts";
import { BatchRejectedError } from "./rejection.ts";
import { Utf8Check } from "./utf8Check.ts";

/** What ingestion learns from reading a batch: how many rows, and the span of their event times. */
export interface BatchProfile extends EventTimeRange {
  rowCount: number;
}

/** Takes one row of a batch as it is read: the value of its event-time field (undefined when it has none). */
export type RowSink = (eventTime: unknown) => void;

export interface ProfileOptions {
  /** The spec's event-time column. */
  eventTime: string;
  maxRows: number;
}

/**
 * Reads a raw batch as a stream, checking only what makes it unreadable (not UTF-8, malformed, duplicated CSV
 * header, no rows, too many rows); types and ranges are validation's business. Throws BatchRejectedError.
 */
export async function profileBatch(
  format: BatchFormat,
  bytes: Readable,
  options: ProfileOptions,
): Promise<BatchProfile> {
  const span = new EventTimeSpan();
  let rowCount = 0;
  const row: RowSink = (eventTime) => {
    if (++rowCount > options.maxRows) {
      throw new BatchRejectedError(
        "too_many_rows",
        `batch has more than ${options.maxRows} rows (INGEST_MAX_ROWS); split it into smaller batches`,
      );
    }
    span.add(eventTime);
  };
  try {
    if (format === "csv") {
      await pipeline(bytes, new Utf8Check(), csvParser(), csvRows(options.eventTime, row));
    } else {
      const rows = format === "ndjson" ? ndjsonRows : jsonArrayRows;
      await pipeline(bytes, new Utf8Check(), rows(options.eventTime, row));
    }
  } catch (error) {
    throw asCsvRejection(error);
  }
  if (rowCount === 0) {
    throw new BatchRejectedError("empty", `${format} batch has no rows${format === "csv" ? " under its header" : ""}`);
  }
  return { rowCount, ...span.range() };
}
