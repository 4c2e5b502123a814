import { isValidName } from "@gyre/contracts";
import type { ExportTrainingSetRequest__Output } from "@gyre/grpc";
import { parseUtcMillis } from "@gyre/spec";
import { InvalidArgumentError } from "./requestErrors.ts";

/** Which rows a training set holds: all, the latest N by event time, or an event-time range [start, end). */
export type ExportWindow =
  | { kind: "all" }
  | { kind: "lastRows"; lastRows: number }
  | { kind: "timeRange"; start: string | null; end: string | null };

export interface SnapshotParams {
  window: ExportWindow;
  holdoutShare: number;
  includeUnlabelled: boolean;
}

export type ExportRequest = {
  dataset: string;
  chunkRows: number;
} & ({ snapshotId: string } | { snapshotId: null; params: SnapshotParams });

export const DEFAULT_CHUNK_ROWS = 5000;
export const MAX_CHUNK_ROWS = 50_000;
const MAX_LAST_ROWS = 1_000_000_000;
const SNAPSHOT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;

export function parseDatasetArgument(dataset: string): string {
  if (!isValidName(dataset)) {
    throw new InvalidArgumentError(
      `dataset ${JSON.stringify(dataset)}: names start with a-z, then a-z, 0-9, "-" and "_", at most 63 characters`,
    );
  }
  return dataset;
}

function timeBound(value: string, field: string): string | null {
  if (value === "") return null;
  const millis = parseUtcMillis(value);
  if (millis === undefined) {
    throw new InvalidArgumentError(`${field} ${JSON.stringify(value)}: expected an ISO 8601 date or datetime, or ""`);
  }
  return new Date(millis).toISOString();
}

function parseWindow(request: ExportTrainingSetRequest__Output): ExportWindow {
  if (request.window === "last_rows") {
    const raw = request.last_rows ?? "";
    const lastRows = Number(raw);
    if (!/^\d+$/.test(raw) || lastRows < 1 || lastRows > MAX_LAST_ROWS) {
      throw new InvalidArgumentError(`last_rows ${raw}: expected a whole number from 1 to ${MAX_LAST_ROWS}`);
    }
    return { kind: "lastRows", lastRows };
  }
  if (request.window === "time_range") {
    const start = timeBound(request.time_range?.start ?? "", "time_range.start");
    const end = timeBound(request.time_range?.end ?? "", "time_range.end");
    if (start !== null && end !== null && start >= end) {
      throw new InvalidArgumentError(`time_range [${start}, ${end}): start must be before end`);
    }
    return { kind: "timeRange", start, end };
  }
  return { kind: "all" };
}

function parseChunkRows(chunkRows: number): number {
  if (chunkRows === 0) return DEFAULT_CHUNK_ROWS;
  if (!Number.isInteger(chunkRows) || chunkRows < 1 || chunkRows > MAX_CHUNK_ROWS) {
    throw new InvalidArgumentError(
      `chunk_rows ${chunkRows}: expected 1 to ${MAX_CHUNK_ROWS}, or 0 for ${DEFAULT_CHUNK_ROWS}`,
    );
  }
  return chunkRows;
}

/** Checks an ExportTrainingSet request; every problem is an InvalidArgumentError naming the field and the value. */
export function parseExportRequest(request: ExportTrainingSetRequest__Output): ExportRequest {
  const dataset = parseDatasetArgument(request.dataset);
  const chunkRows = parseChunkRows(request.chunk_rows);
  if (request.snapshot_id !== "") {
    if (!SNAPSHOT_ID.test(request.snapshot_id)) {
      throw new InvalidArgumentError(`snapshot_id ${JSON.stringify(request.snapshot_id)}: not a snapshot id`);
    }
    return { dataset, chunkRows, snapshotId: request.snapshot_id };
  }
  const holdoutShare = request.holdout_share;
  if (!Number.isFinite(holdoutShare) || holdoutShare < 0 || holdoutShare >= 1) {
    throw new InvalidArgumentError(`holdout_share ${holdoutShare}: expected a share from 0 up to (not including) 1`);
  }
  return {
    dataset,
    chunkRows,
    snapshotId: null,
    params: { window: parseWindow(request), holdoutShare, includeUnlabelled: request.include_unlabelled },
  };
}

/** Holdout rows of a training set of `total` rows: the share, rounded to the nearest row. */
export function holdoutRows(total: number, holdoutShare: number): number {
  return Math.min(total, Math.round(total * holdoutShare));
}
