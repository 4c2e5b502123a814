import type { BatchCompression, BatchFormat, DataIngested } from "@gyre/contracts";
import type pg from "pg";
import type { RejectionKind } from "./rejection.ts";

/** A batch as recorded in `batches`: what data.ingested announces, plus where it came from. */
export interface BatchRecord extends DataIngested {
  format: BatchFormat;
  /** How the raw bytes are compressed (as sent); null when they are not. */
  compression: BatchCompression | null;
  sizeBytes: number;
  sourceEventId: string;
}

/** Which unique key an arrival shared with a batch already recorded. */
export type DuplicateMatch = "batch_key" | "sha256";

interface BatchRow {
  batch_id: string;
  dataset: string;
  batch_key: string;
  sha256: string;
  object_key: string;
  format: BatchFormat;
  compression: BatchCompression | null;
  size_bytes: string;
  row_count: string;
  event_time_min: Date | null;
  event_time_max: Date | null;
  spec_revision: string;
  source_event_id: string;
}

function toRecord(row: BatchRow): BatchRecord {
  return {
    batchId: row.batch_id,
    dataset: row.dataset,
    batchKey: row.batch_key,
    sha256: row.sha256,
    objectKey: row.object_key,
    format: row.format,
    compression: row.compression,
    sizeBytes: Number(row.size_bytes),
    rowCount: Number(row.row_count),
    eventTimeMin: row.event_time_min?.toISOString() ?? null,
    eventTimeMax: row.event_time_max?.toISOString() ?? null,
    specRevision: Number(row.spec_revision),
    sourceEventId: row.source_event_id,
  };
}

/** The batch with this producer key or these bytes, preferring the key; null when neither is known. */
export async function findBatch(
  pool: pg.Pool,
  dataset: string,
  match: { batchKey?: string; sha256?: string },
): Promise<{ batch: BatchRecord; matched: DuplicateMatch } | null> {
  const { rows } = await pool.query<BatchRow>(
    `SELECT * FROM batches WHERE dataset = $1 AND (batch_key = $2 OR sha256 = $3)
     ORDER BY batch_key = $2 DESC NULLS LAST LIMIT 1`,
    [dataset, match.batchKey ?? null, match.sha256 ?? null],
  );
  const row = rows[0];
  if (row === undefined) return null;
  return { batch: toRecord(row), matched: row.batch_key === match.batchKey ? "batch_key" : "sha256" };
}

/**
 * Records a new batch unless one with the same key or the same bytes is there already (another delivery or
 * replica may have got there first): true when this call inserted it.
 */
export async function insertBatch(pool: pg.Pool, batch: BatchRecord): Promise<boolean> {
  const { rowCount } = await pool.query(
    `INSERT INTO batches (batch_id, dataset, batch_key, sha256, object_key, format, size_bytes, row_count,
                          event_time_min, event_time_max, spec_revision, source_event_id, compression)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT DO NOTHING
     RETURNING batch_id`,
    [
      batch.batchId,
      batch.dataset,
      batch.batchKey,
      batch.sha256,
      batch.objectKey,
      batch.format,
      batch.sizeBytes,
      batch.rowCount,
      batch.eventTimeMin,
      batch.eventTimeMax,
      batch.specRevision,
      batch.sourceEventId,
      batch.compression,
    ],
  );
  return rowCount === 1;
}

export interface RejectedArrival {
  eventId: string;
  dataset: string;
  batchKey: string;
  kind: RejectionKind;
  reason: string;
}

/** Records an arrival turned away; a second delivery of the same event records nothing more. */
export async function recordRejection(pool: pg.Pool, rejection: RejectedArrival): Promise<void> {
  await pool.query(
    `INSERT INTO rejected_arrivals (event_id, dataset, batch_key, kind, reason)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (event_id) DO NOTHING`,
    [rejection.eventId, rejection.dataset, rejection.batchKey, rejection.kind, rejection.reason],
  );
}
