import { randomUUID } from "node:crypto";
import type pg from "pg";
import { batchesUpTo, datasetState, writtenSpec } from "./datasetCatalog.ts";
import { type ExportWindow, holdoutRows, type SnapshotParams } from "./exportRequest.ts";
import { type TableLayout, tableLayout } from "./layout.ts";
import { NotFoundError } from "./requestErrors.ts";
import { countTrainingRows, type SnapshotScope } from "./trainingRows.ts";

/** A recorded training-set snapshot: replaying it gives the same rows, in the same order, with the same split. */
export interface TrainingSnapshot extends SnapshotScope {
  snapshotId: string;
  dataset: string;
  specRevision: number;
  batches: { batch_id: string; sha256: string }[];
  trainRows: number;
  holdoutRows: number;
  createdAt: string;
  /** true when this call recorded it. */
  created: boolean;
}

interface SnapshotRecord {
  snapshot_id: string;
  dataset: string;
  spec_revision: number;
  window_last_rows: string | null;
  window_start: Date | null;
  window_end: Date | null;
  holdout_share: number;
  include_unlabelled: boolean;
  max_batch_seq: string;
  batches: { batch_id: string; sha256: string }[];
  train_rows: string;
  holdout_rows: string;
  created_at: Date;
  window_kind: string;
}

function windowColumns(window: ExportWindow): [number | null, string | null, string | null, string] {
  switch (window.kind) {
    case "all":
      return [null, null, null, "all"];
    case "lastRows":
      return [window.lastRows, null, null, "lastRows"];
    case "timeRange":
      return [null, window.start, window.end, "timeRange"];
  }
}

function windowOf(record: SnapshotRecord): ExportWindow {
  if (record.window_last_rows !== null) return { kind: "lastRows", lastRows: Number(record.window_last_rows) };
  if (record.window_kind === "timeRange") {
    return {
      kind: "timeRange",
      start: record.window_start?.toISOString() ?? null,
      end: record.window_end?.toISOString() ?? null,
    };
  }
  return { kind: "all" };
}

function toSnapshot(record: SnapshotRecord, created: boolean): TrainingSnapshot {
  return {
    snapshotId: record.snapshot_id,
    dataset: record.dataset,
    specRevision: record.spec_revision,
    maxBatchSeq: Number(record.max_batch_seq),
    window: windowOf(record),
    holdoutShare: record.holdout_share,
    includeUnlabelled: record.include_unlabelled,
    batches: record.batches,
    trainRows: Number(record.train_rows),
    holdoutRows: Number(record.holdout_rows),
    createdAt: record.created_at.toISOString(),
    created,
  };
}

const SNAPSHOT_FIELDS = `snapshot_id, dataset, spec_revision, window_last_rows, window_start, window_end, holdout_share,
  include_unlabelled, max_batch_seq, batches, train_rows, holdout_rows, created_at, window_kind`;

/**
 * Records a snapshot of the dataset as it is now: the batches written so far (up to the latest batch_seq), the
 * newest spec revision among them, the parameters, and the train/holdout row counts.
 */
export async function recordSnapshot(
  pool: pg.Pool,
  dataset: string,
  params: SnapshotParams,
): Promise<{ snapshot: TrainingSnapshot; layout: TableLayout }> {
  const state = await datasetState(pool, dataset);
  const layout = tableLayout(await writtenSpec(pool, dataset, state.specRevision));
  const scope: SnapshotScope = { ...params, maxBatchSeq: state.maxBatchSeq };
  const total = await countTrainingRows(pool, layout, scope);
  const holdout = holdoutRows(total, params.holdoutShare);
  const batches = await batchesUpTo(pool, dataset, state.maxBatchSeq);
  const [lastRows, start, end, kind] = windowColumns(params.window);
  const { rows } = await pool.query<SnapshotRecord>(
    `INSERT INTO snapshots (snapshot_id, dataset, spec_revision, window_last_rows, window_start, window_end, window_kind,
       holdout_share, include_unlabelled, max_batch_seq, batches, train_rows, holdout_rows)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING ${SNAPSHOT_FIELDS}`,
    [
      `snap-${randomUUID()}`,
      dataset,
      state.specRevision,
      lastRows,
      start,
      end,
      kind,
      params.holdoutShare,
      params.includeUnlabelled,
      state.maxBatchSeq,
      JSON.stringify(batches),
      total - holdout,
      holdout,
    ],
  );
  return { snapshot: toSnapshot(rows[0] as SnapshotRecord, true), layout };
}

/** A recorded snapshot of `dataset`; NOT_FOUND for an unknown id or one of another dataset. */
export async function loadSnapshot(
  pool: pg.Pool,
  dataset: string,
  snapshotId: string,
): Promise<{ snapshot: TrainingSnapshot; layout: TableLayout }> {
  const { rows } = await pool.query<SnapshotRecord>(`SELECT ${SNAPSHOT_FIELDS} FROM snapshots WHERE snapshot_id = $1`, [
    snapshotId,
  ]);
  const record = rows[0];
  if (!record) throw new NotFoundError(`snapshot "${snapshotId}": no such training-set snapshot`);
  if (record.dataset !== dataset) {
    throw new NotFoundError(`snapshot "${snapshotId}" is of dataset "${record.dataset}", not "${dataset}"`);
  }
  const layout = tableLayout(await writtenSpec(pool, dataset, record.spec_revision));
  return { snapshot: toSnapshot(record, false), layout };
}
