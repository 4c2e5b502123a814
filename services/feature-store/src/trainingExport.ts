import type { ExportTrainingSetResponse, TrainingSetHeader } from "@gyre/grpc";
import type pg from "pg";
import { ENTITY_KEY_COLUMN, EVENT_TIME_COLUMN, specColumnMessages } from "./columnMessages.ts";
import type { ExportRequest } from "./exportRequest.ts";
import type { TableLayout } from "./layout.ts";
import { type ChunkColumn, rowChunk } from "./rowChunks.ts";
import { loadSnapshot, recordSnapshot, type TrainingSnapshot } from "./snapshots.ts";
import { fetchInChunks, trainingRowsSql } from "./trainingRows.ts";

/**
 * Values per chunk at most, whatever chunk_rows asks: about 2 MiB of numbers, under gRPC's default 4 MiB limit
 * on what a client receives.
 */
export const MAX_CHUNK_CELLS = 250_000;

/** Where the export's messages go; `write` resolves when the receiver can take more. */
export interface ExportSink {
  write(message: ExportTrainingSetResponse): Promise<void>;
  /** true once the client went away; the export stops at the next chunk. */
  cancelled(): boolean;
}

export interface ExportSummary {
  snapshot: TrainingSnapshot;
  rows: number;
}

function header(snapshot: TrainingSnapshot, layout: TableLayout): TrainingSetHeader {
  const { window } = snapshot;
  return {
    snapshot_id: snapshot.snapshotId,
    dataset: snapshot.dataset,
    spec_revision: snapshot.specRevision,
    columns: [EVENT_TIME_COLUMN, ENTITY_KEY_COLUMN, ...specColumnMessages(layout)],
    batches: snapshot.batches.map(({ batch_id, sha256 }) => ({ batch_id, sha256 })),
    train_rows: snapshot.trainRows,
    holdout_rows: snapshot.holdoutRows,
    created_at: snapshot.createdAt,
    ...(window.kind === "lastRows" ? { last_rows: window.lastRows } : {}),
    ...(window.kind === "timeRange" ? { time_range: { start: window.start ?? "", end: window.end ?? "" } } : {}),
    holdout_share: snapshot.holdoutShare,
    include_unlabelled: snapshot.includeUnlabelled,
    created: snapshot.created,
  };
}

/** Header columns and their types; a fetched row holds them in this order (`exportedColumns`). */
function chunkColumns(layout: TableLayout): ChunkColumn[] {
  return [EVENT_TIME_COLUMN, ENTITY_KEY_COLUMN, ...specColumnMessages(layout)].map((column, position) => ({
    position,
    type: column.type as ChunkColumn["type"],
  }));
}

/**
 * ExportTrainingSet: records a snapshot (or loads the one named), sends the header, then the rows in chunks. The
 * rows come from the snapshot's batches only, in (event time, batch, row) order, so a replay is identical.
 */
export async function exportTrainingSet(
  pool: pg.Pool,
  request: ExportRequest,
  sink: ExportSink,
): Promise<ExportSummary> {
  const { snapshot, layout } =
    request.snapshotId === null
      ? await recordSnapshot(pool, request.dataset, request.params)
      : await loadSnapshot(pool, request.dataset, request.snapshotId);
  await sink.write({ header: header(snapshot, layout) });
  const columns = chunkColumns(layout);
  const chunkRows = Math.max(1, Math.min(request.chunkRows, Math.floor(MAX_CHUNK_CELLS / columns.length)));
  const expected = snapshot.trainRows + snapshot.holdoutRows;
  let sent = 0;
  for await (const rows of fetchInChunks(pool, trainingRowsSql(layout, snapshot), chunkRows)) {
    if (sink.cancelled()) break;
    await sink.write({ rows: rowChunk(rows, columns, sent, snapshot.trainRows) });
    sent += rows.length;
  }
  if (!sink.cancelled() && sent !== expected) {
    throw new Error(`snapshot "${snapshot.snapshotId}": streamed ${sent} rows, but its header says ${expected}`);
  }
  return { snapshot, rows: sent };
}
