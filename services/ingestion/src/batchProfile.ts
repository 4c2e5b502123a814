import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { BatchFormat } from "@gyre/contracts";
import { asCsvRejection, csvEventTimes, csvParser } from "./csvRows.ts";
import { type EventTimeRange, EventTimeSpan } from "./eventTime.ts";
import { jsonArrayEventTimes, ndjsonEventTimes } from "./jsonRows.ts";
import { BatchRejectedError } from "./rejection.ts";
import { Utf8Check } from "./utf8Check.ts";

/** What ingestion learns from reading a batch: how many rows, and the span of their event times. */
export interface BatchProfile extends EventTimeRange {
  rowCount: number;
}

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
  const count = async (eventTimes: AsyncIterable<unknown>) => {
    for await (const eventTime of eventTimes) {
      if (++rowCount > options.maxRows) {
        throw new BatchRejectedError(
          "too_many_rows",
          `batch has more than ${options.maxRows} rows (INGEST_MAX_ROWS); split it into smaller batches`,
        );
      }
      span.add(eventTime);
    }
  };
  try {
    if (format === "csv") {
      await pipeline(bytes, new Utf8Check(), csvParser(), csvEventTimes(options.eventTime), count);
    } else {
      const rows = format === "ndjson" ? ndjsonEventTimes : jsonArrayEventTimes;
      await pipeline(bytes, new Utf8Check(), rows(options.eventTime), count);
    }
  } catch (error) {
    throw asCsvRejection(error);
  }
  if (rowCount === 0) {
    throw new BatchRejectedError("empty", `${format} batch has no rows${format === "csv" ? " under its header" : ""}`);
  }
  return { rowCount, ...span.range() };
}
