import type * as grpc from "@grpc/grpc-js";
import type { TrainingSnapshot } from "@gyre/contracts";
import type {
  ExportTrainingSetRequest,
  ExportTrainingSetResponse__Output,
  FeatureColumn__Output,
  FeatureStoreClient,
  RowChunk__Output,
  TrainingSetHeader__Output,
} from "@gyre/grpc";
import type { FeatureRow } from "@gyre/model";
import type { DatasetSpec } from "@gyre/spec";

/** A training set as the feature store exported it: rows in event-time order, the latest share marked holdout. */
export interface TrainingSet {
  snapshot: TrainingSnapshot;
  /** The spec revision whose columns the feature store exported. */
  columnsRevision: number;
  trainRows: FeatureRow[];
  holdoutRows: FeatureRow[];
}

export class ExportStreamError extends Error {
  override name = "ExportStreamError";
}

/** The request for a new snapshot with the spec's window and holdout share, or for replaying a recorded one. */
export function exportRequest(spec: DatasetSpec, snapshotId: string | null): ExportTrainingSetRequest {
  if (snapshotId !== null) return { dataset: spec.name, snapshot_id: snapshotId };
  return {
    dataset: spec.name,
    holdout_share: spec.training.holdoutShare,
    ...(spec.training.windowRows === undefined ? {} : { last_rows: spec.training.windowRows }),
  };
}

/**
 * Streams a training set from the feature store's ExportTrainingSet: the header (snapshot id, batches with their
 * sha256, columns), then columnar chunks decoded into rows. Rejects with the gRPC error (its code says whether the
 * request was refused or the store unreachable) or an ExportStreamError for a stream that breaks the protocol.
 */
export function exportTrainingSet(
  client: FeatureStoreClient,
  request: ExportTrainingSetRequest,
  deadlineMs: number,
): Promise<TrainingSet> {
  return new Promise((resolve, reject) => {
    let header: TrainingSetHeader__Output | null = null;
    const trainRows: FeatureRow[] = [];
    const holdoutRows: FeatureRow[] = [];
    let failed = false;
    const call = client.ExportTrainingSet(request, { deadline: new Date(Date.now() + deadlineMs) });
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      call.cancel();
      reject(error);
    };
    call.on("data", (message: ExportTrainingSetResponse__Output) => {
      if (failed) return;
      if (message.header) {
        if (header) return fail(new ExportStreamError("the export sent a second header"));
        header = message.header;
      } else if (message.rows) {
        if (!header) return fail(new ExportStreamError("the export sent rows before its header"));
        decodeChunk(header.columns, message.rows, trainRows, holdoutRows);
      }
    });
    call.on("error", (error: grpc.ServiceError) => fail(error));
    call.on("end", () => {
      if (failed) return;
      if (!header) return fail(new ExportStreamError("the export ended without a header"));
      const expected = Number(header.train_rows) + Number(header.holdout_rows);
      if (trainRows.length + holdoutRows.length !== expected) {
        return fail(
          new ExportStreamError(
            `the export announced ${expected} rows and sent ${trainRows.length + holdoutRows.length}`,
          ),
        );
      }
      resolve({
        snapshot: {
          id: header.snapshot_id,
          batches: header.batches.map((batch) => ({ batchId: batch.batch_id, sha256: batch.sha256 })),
        },
        columnsRevision: Number(header.spec_revision),
        trainRows,
        holdoutRows,
      });
    });
  });
}

/** One columnar chunk into row objects (column name → number, string, boolean or null), split by its holdout flags. */
export function decodeChunk(
  columns: readonly FeatureColumn__Output[],
  chunk: RowChunk__Output,
  trainRows: FeatureRow[],
  holdoutRows: FeatureRow[],
): void {
  const readers = columns.map((column, at) => columnReader(column, chunk.columns[at]));
  for (let index = 0; index < chunk.row_count; index++) {
    const row: Record<string, unknown> = {};
    for (const [at, column] of columns.entries()) row[column.name] = readers[at]?.(index) ?? null;
    (chunk.holdout[index] === true ? holdoutRows : trainRows).push(row);
  }
}

type ColumnValues = RowChunk__Output["columns"][number];

function columnReader(column: FeatureColumn__Output, values: ColumnValues | undefined): (row: number) => unknown {
  if (!values) return () => null;
  const nulls = new Set(values.null_rows);
  const from = (array: readonly unknown[]) => (row: number) => (nulls.has(row) ? null : (array[row] ?? null));
  switch (column.type) {
    case "COLUMN_TYPE_DOUBLE":
    case "COLUMN_TYPE_INT64":
      return from(values.numbers);
    case "COLUMN_TYPE_BOOL":
      return from(values.bools);
    default:
      return from(values.strings);
  }
}
