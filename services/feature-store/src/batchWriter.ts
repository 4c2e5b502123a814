import { PermanentError } from "@gyre/bus";
import { withTransaction } from "@gyre/db";
import type { DatasetSpec } from "@gyre/spec";
import type pg from "pg";
import { RowEncoder } from "./batchRows.ts";
import { BinaryCopyWriter, type CopyType, CopyValueError, copyBinary } from "./copyRows.ts";
import { type KnownSchema, knownSchema } from "./knownSchema.ts";
import { quoteIdent as q, SYSTEM_COLUMNS, storedColumns, type TableLayout } from "./layout.ts";
import { SYSTEM_COLUMN_NAMES } from "./readQuery.ts";
import { syncTables } from "./schemaSync.ts";

export interface BatchToWrite {
  batchId: string;
  sha256: string;
  specRevision: number;
  rowsKey: string;
  spec: DatasetSpec;
  layout: TableLayout;
  /**
   * The batch's rows in chunks (arrays of rows, in order); opened only when the batch is not in the store yet, and
   * read once, inside the transaction.
   */
  openRows: () => RowChunks;
}

type Row = Readonly<Record<string, unknown>>;
export type RowChunks = AsyncIterable<readonly Row[]> | Iterable<readonly Row[]>;

/** A batch as the `batches` table has it: what `features.updated` reports, the first time and on every redelivery. */
export interface WrittenBatch {
  batchId: string;
  dataset: string;
  rowsWritten: number;
  labelledRows: number;
  /** Latest event time in the dataset's store right after this batch; null while the store has no rows. */
  watermark: string | null;
  specRevision: number;
  /** false when the batch had been written before and nothing was written now. */
  created: boolean;
}

/** A write of a batch's rows that PostgreSQL refused; the message names the batch, the table and PostgreSQL's reason. */
export class BatchWriteError extends Error {
  override name = "BatchWriteError";
}

interface BatchRecord {
  batch_id: string;
  dataset: string;
  rows: number;
  labelled_rows: number;
  watermark: Date | null;
  spec_revision: number;
}

const BATCH_FIELDS = "batch_id, dataset, rows, labelled_rows, watermark, spec_revision";

function toWritten(record: BatchRecord, created: boolean): WrittenBatch {
  return {
    batchId: record.batch_id,
    dataset: record.dataset,
    rowsWritten: record.rows,
    labelledRows: record.labelled_rows,
    watermark: record.watermark?.toISOString() ?? null,
    specRevision: record.spec_revision,
    created,
  };
}

export async function findWrittenBatch(db: pg.Pool | pg.ClientBase, batchId: string): Promise<WrittenBatch | null> {
  const { rows } = await db.query<BatchRecord>(`SELECT ${BATCH_FIELDS} FROM batches WHERE batch_id = $1`, [batchId]);
  const record = rows[0];
  return record ? toWritten(record, false) : null;
}

/**
 * Writes a batch in one transaction: its `batches` row, its rows in the offline table (streamed from `openRows`
 * through COPY), the online rows it makes newer, and the watermark; all or nothing. Writes of one dataset queue
 * behind a transaction-scoped advisory lock, which orders their batch_seq and keeps table changes and online
 * upserts from racing. A batch that is already there writes nothing and comes back with `created: false`.
 */
export async function writeBatch(pool: pg.Pool, batch: BatchToWrite): Promise<WrittenBatch> {
  const { layout, specRevision } = batch;
  const known = knownSchema(pool);
  try {
    const written = await withTransaction(pool, (client) => writeInTransaction(client, batch, known));
    if (written.created) known.remember(layout, specRevision);
    return written;
  } catch (err) {
    known.forget(layout, specRevision);
    throw err;
  }
}

async function writeInTransaction(
  client: pg.PoolClient,
  batch: BatchToWrite,
  known: KnownSchema,
): Promise<WrittenBatch> {
  const { layout } = batch;
  await client.query("SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || '/' || $1, 0))", [
    layout.dataset,
  ]);
  const existing = await findWrittenBatch(client, batch.batchId);
  if (existing) return existing;
  if (!known.hasTables(layout)) await syncTables(client, layout);
  if (!known.hasSpecRevision(layout.dataset, batch.specRevision)) {
    await client.query(
      "INSERT INTO dataset_specs (dataset, spec_revision, spec) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
      [layout.dataset, batch.specRevision, JSON.stringify(batch.spec)],
    );
  }
  // The counts and the watermark are filled in once the rows are in; watermarks only grow, so the dataset's
  // last one is where this batch's starts.
  const { rows } = await client.query<{ batch_seq: string }>(
    `INSERT INTO batches (batch_id, dataset, sha256, rows, labelled_rows, spec_revision, rows_key, watermark)
     VALUES ($1, $2, $3, 0, 0, $4, $5,
             (SELECT watermark FROM batches WHERE dataset = $2 ORDER BY batch_seq DESC LIMIT 1))
     RETURNING batch_seq`,
    [batch.batchId, layout.dataset, batch.sha256, batch.specRevision, batch.rowsKey],
  );
  const encoder = new RowEncoder(layout);
  await copyOffline(client, batch, Number(rows[0]?.batch_seq), encoder);
  const latestRows = [...encoder.latestByEntity.values()].map((latest) => latest.index);
  await upsertOnline(client, layout, batch.batchId, latestRows);
  const { rows: updated } = await client.query<BatchRecord>(
    `UPDATE batches SET rows = $2, labelled_rows = $3, watermark = GREATEST(watermark, $4::timestamptz)
      WHERE batch_id = $1 RETURNING ${BATCH_FIELDS}`,
    [batch.batchId, encoder.rows, encoder.labelledRows, encoder.maxEventTime],
  );
  return toWritten(updated[0] as BatchRecord, true);
}

const SYSTEM_TYPES: readonly CopyType[] = ["text", "bigint", "integer", "timestamptz", "text"];

/** The offline table's rows as binary COPY data, one piece per chunk of rows (the first with the header). */
async function* offlineCopyData(
  columns: readonly string[],
  types: readonly CopyType[],
  batchId: string,
  batchSeq: number,
  encoder: RowEncoder,
  chunks: RowChunks,
): AsyncGenerator<Buffer> {
  const writer = new BinaryCopyWriter(columns.map((name, at) => ({ name, type: types[at] as CopyType })));
  for await (const rows of chunks) {
    for (const row of rows) {
      const index = encoder.rows;
      const values = encoder.encode(row);
      try {
        writer.row([batchId, batchSeq, index, ...values]);
      } catch (err) {
        if (err instanceof CopyValueError) throw new CopyValueError(`${err.message} (row ${index})`);
        throw err;
      }
    }
    yield writer.take();
  }
  const rest = writer.take();
  if (rest.length > 0) yield rest;
}

async function copyOffline(
  client: pg.ClientBase,
  batch: BatchToWrite,
  batchSeq: number,
  encoder: RowEncoder,
): Promise<void> {
  const { layout, batchId } = batch;
  const columns = [...SYSTEM_COLUMN_NAMES, ...storedColumns(layout).map((column) => column.name)];
  try {
    await copyBinary(
      client,
      layout.offlineTable,
      columns,
      offlineCopyData(
        columns,
        [...SYSTEM_TYPES, ...storedColumns(layout).map((column) => column.sqlType)],
        batchId,
        batchSeq,
        encoder,
        batch.openRows(),
      ),
    );
  } catch (err) {
    if (err instanceof PermanentError) throw err;
    const { message, where } = err as { message?: string; where?: string };
    throw new BatchWriteError(
      `batch "${batchId}": writing rows to ${layout.offlineTable} failed: ${message}${where ? ` (${where})` : ""}`,
      { cause: err },
    );
  }
}
/**
 * The batch's latest row per entity (`rowIndexes`, one per entity) replaces the online row unless that one is
 * newer by event time.
 */
async function upsertOnline(
  client: pg.ClientBase,
  layout: TableLayout,
  batchId: string,
  rowIndexes: readonly number[],
): Promise<void> {
  const { entityKey, eventTime, batchId: batchIdColumn, batchSeq, rowIndex } = SYSTEM_COLUMNS;
  const columns = [
    entityKey,
    eventTime,
    batchIdColumn,
    batchSeq,
    rowIndex,
    ...storedColumns(layout).map((c) => c.name),
  ];
  const list = columns.map(q).join(", ");
  const updates = columns
    .filter((name) => name !== entityKey)
    .map((name) => `${q(name)} = EXCLUDED.${q(name)}`)
    .join(", ");
  await client.query(
    `INSERT INTO ${q(layout.onlineTable)} AS online (${list})
     SELECT ${list} FROM ${q(layout.offlineTable)}
      WHERE ${q(batchIdColumn)} = $1 AND ${q(rowIndex)} = ANY($2::integer[])
     ON CONFLICT (${q(entityKey)}) DO UPDATE SET ${updates}
      WHERE online.${q(eventTime)} <= EXCLUDED.${q(eventTime)}`,
    [batchId, rowIndexes],
  );
}
