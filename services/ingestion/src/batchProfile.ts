import { isUtf8 } from "node:buffer";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { BatchFormat } from "@gyre/contracts";
import { asCsvRejection, checkHeader, csvParser, csvRows, plainCsvColumn } from "./csvRows.ts";
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
 * Reads a raw batch, checking only what makes it unreadable (not UTF-8, malformed, duplicated CSV header, no
 * rows, too many rows); types and ranges are validation's business. Throws BatchRejectedError. A batch held in
 * memory that is plain CSV is split directly; everything else is read as a stream through csv-parse or JSON.
 */
export async function profileBatch(
  format: BatchFormat,
  bytes: Readable | Buffer,
  options: ProfileOptions,
): Promise<BatchProfile> {
  if (Buffer.isBuffer(bytes)) {
    const eventTimes = format === "csv" ? plainCsvEventTimes(bytes, options) : undefined;
    if (eventTimes === undefined) return profileBatch(format, Readable.from([bytes]), options);
    const counter = new RowCounter(options.maxRows);
    for (const eventTime of eventTimes) counter.row(eventTime);
    return counter.profile(format);
  }
  const counter = new RowCounter(options.maxRows);
  const row: RowSink = (eventTime) => counter.row(eventTime);
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
  return counter.profile(format);
}

/** Counts rows up to the limit and folds in their event times. */
class RowCounter {
  readonly #span = new EventTimeSpan();
  readonly #maxRows: number;
  #rowCount = 0;

  constructor(maxRows: number) {
    this.#maxRows = maxRows;
  }

  row(eventTime: unknown): void {
    if (++this.#rowCount > this.#maxRows) {
      throw new BatchRejectedError(
        "too_many_rows",
        `batch has more than ${this.#maxRows} rows (INGEST_MAX_ROWS); split it into smaller batches`,
      );
    }
    this.#span.add(eventTime);
  }

  profile(format: BatchFormat): BatchProfile {
    if (this.#rowCount === 0) {
      throw new BatchRejectedError(
        "empty",
        `${format} batch has no rows${format === "csv" ? " under its header" : ""}`,
      );
    }
    return { rowCount: this.#rowCount, ...this.#span.range() };
  }
}

/**
 * A CSV batch held in memory that is UTF-8 and plain (see plainCsvColumn): its header checked, and each row's
 * event-time field; undefined when it is not plain, and the stream path has to read it.
 */
function plainCsvEventTimes(bytes: Buffer, options: ProfileOptions): (string | undefined)[] | undefined {
  if (!isUtf8(bytes)) return undefined;
  const plain = plainCsvColumn(bytes.toString("utf8"), options.eventTime);
  if (plain === undefined) return undefined;
  checkHeader(plain.header);
  return plain.values;
}
