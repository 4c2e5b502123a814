import { isUtf8 } from "node:buffer";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { BatchFormat, DataArrived } from "@gyre/contracts";
import { asGzipError, CorruptGzipError, DecompressedTooLargeError, gunzipped } from "@gyre/formats";
import { asCsvRejection, checkHeader, csvParser, csvRows, plainCsvColumn } from "./csvRows.ts";
import { type EventTimeRange, EventTimeSpan } from "./eventTime.ts";
import { jsonArrayRows, ndjsonRows } from "./jsonRows.ts";
import { profileParquet } from "./parquetProfile.ts";
import type { RawBatch } from "./rawBatch.ts";
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
 * Profiles a raw batch as it arrived: Parquet from memory or its temp file (the footer first, then row group by row
 * group); gzip decompressed as a stream, stopped once it passes `maxBytes` (INGEST_MAX_BATCH_BYTES applies to the
 * decompressed size: a gzip bomb is turned away after reading at most that much).
 */
export async function profileRawBatch(
  arrival: Pick<DataArrived, "format" | "compression">,
  raw: RawBatch,
  options: ProfileOptions & { maxBytes: number },
): Promise<BatchProfile> {
  const { format, compression } = arrival;
  if (format === "parquet") return profileParquet(raw, options);
  if (compression !== "gzip") return profileBatch(format, raw.bytes ?? raw.open(), options);
  try {
    return await profileBatch(format, gunzipped(raw.open(), options.maxBytes), options);
  } catch (error) {
    throw asGzipRejection(asGzipError(error));
  }
}

function asGzipRejection(error: unknown): unknown {
  if (error instanceof CorruptGzipError) return new BatchRejectedError("corrupt_gzip", error.message, { cause: error });
  if (!(error instanceof DecompressedTooLargeError)) return error;
  return new BatchRejectedError(
    "too_large",
    `gzip batch decompresses to more than ${error.maxBytes} bytes, over the limit of ${error.maxBytes} bytes (INGEST_MAX_BATCH_BYTES, which applies to the decompressed size); split it into smaller batches`,
    { cause: error },
  );
}

/**
 * Reads a raw batch, checking only what makes it unreadable (not UTF-8, malformed, duplicated CSV header, no
 * rows, too many rows); types and ranges are validation's business. Throws BatchRejectedError. A batch held in
 * memory that is plain CSV is split directly; everything else is read as a stream through csv-parse or JSON,
 * as it is given (gunzipped, for a compressed batch).
 */
export async function profileBatch(
  format: Exclude<BatchFormat, "parquet">,
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
export class RowCounter {
  readonly #span = new EventTimeSpan();
  readonly #maxRows: number;
  #rowCount = 0;

  constructor(maxRows: number) {
    this.#maxRows = maxRows;
  }

  row(eventTime: unknown): void {
    if (++this.#rowCount > this.#maxRows) this.tooMany();
    this.#span.add(eventTime);
  }

  tooMany(): never {
    throw new BatchRejectedError(
      "too_many_rows",
      `batch has more than ${this.#maxRows} rows (INGEST_MAX_ROWS); split it into smaller batches`,
    );
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
