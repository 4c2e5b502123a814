import type { Anomaly, FeatureStatistics } from "@gyre/contracts";
import type pg from "pg";
import type { RowProblem } from "./rowCheck.ts";

/** A validation report as stored in the `reports` table: what data.validated / data.rejected carried, and more. */
export type StoredReport = {
  batchId: string;
  dataset: string;
  sha256: string;
  specRevision: number;
  decision: "accept" | "reject";
  reason: string;
  rowCount: number;
  validRows: number;
  invalidRows: number;
  statistics: Record<string, FeatureStatistics>;
  anomalies: Anomaly[];
  notes: string[];
  /** The full report (every quarantined row, anomaly examples) as JSON in S3. */
  reportKey: string;
  /** The valid rows, typed, as NDJSON in S3; null for a rejected batch. */
  rowsKey: string | null;
  /** ISO 8601. */
  createdAt: string;
};

export type StoredQuarantinedRow = { rowIndex: number; raw: Record<string, unknown>; problems: RowProblem[] };

export type ReportDecision = StoredReport["decision"];

export type ListReportsOptions = { limit?: number; decision?: ReportDecision };

/** `pg.Pool` or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, "query">;

export const MAX_LIST_LIMIT = 1000;

/** The columns a StoredReport is read from (reportFromRow), for SELECT and RETURNING alike. */
export const REPORT_COLUMNS = `batch_id, dataset, sha256, spec_revision, decision, reason, row_count, valid_rows, invalid_rows,
  statistics, anomalies, notes, report_key, rows_key, created_at`;

export type ReportRow = {
  batch_id: string;
  dataset: string;
  sha256: string;
  spec_revision: number;
  decision: ReportDecision;
  reason: string;
  row_count: number;
  valid_rows: number;
  invalid_rows: number;
  statistics: Record<string, FeatureStatistics>;
  anomalies: Anomaly[];
  notes: string[];
  report_key: string;
  rows_key: string | null;
  created_at: Date;
};

/** The report of one batch, or null when the batch was never validated. */
export async function getReport(pool: Queryable, batchId: string): Promise<StoredReport | null> {
  const result = await pool.query<ReportRow>(`SELECT ${REPORT_COLUMNS} FROM reports WHERE batch_id = $1`, [batchId]);
  const row = result.rows[0];
  return row === undefined ? null : reportFromRow(row);
}

/** A dataset's reports, newest first; `limit` defaults to 50 (at most 1000), `decision` keeps only one outcome. */
export async function listReports(
  pool: Queryable,
  dataset: string,
  options: ListReportsOptions = {},
): Promise<StoredReport[]> {
  const limit = options.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw new RangeError(`listReports limit ${JSON.stringify(limit)}: use a whole number from 1 to ${MAX_LIST_LIMIT}`);
  }
  const decision = options.decision ?? null;
  if (decision !== null && decision !== "accept" && decision !== "reject") {
    throw new RangeError(`listReports decision ${JSON.stringify(decision)}: use "accept" or "reject"`);
  }
  const result = await pool.query<ReportRow>(
    `SELECT ${REPORT_COLUMNS} FROM reports
      WHERE dataset = $1 AND ($2::text IS NULL OR decision = $2)
      ORDER BY created_at DESC, batch_id
      LIMIT $3`,
    [dataset, decision, limit],
  );
  return result.rows.map(reportFromRow);
}

/** The quarantined rows of one batch, in row order (none for an unknown batch). */
export async function getQuarantinedRows(pool: Queryable, batchId: string): Promise<StoredQuarantinedRow[]> {
  const result = await pool.query<{ row_index: number; raw: Record<string, unknown>; problems: RowProblem[] }>(
    "SELECT row_index, raw, problems FROM quarantined_rows WHERE batch_id = $1 ORDER BY row_index",
    [batchId],
  );
  return result.rows.map((row) => ({ rowIndex: row.row_index, raw: row.raw, problems: row.problems }));
}

export function reportFromRow(row: ReportRow): StoredReport {
  return {
    batchId: row.batch_id,
    dataset: row.dataset,
    sha256: row.sha256,
    specRevision: row.spec_revision,
    decision: row.decision,
    reason: row.reason,
    rowCount: row.row_count,
    validRows: row.valid_rows,
    invalidRows: row.invalid_rows,
    statistics: row.statistics,
    anomalies: row.anomalies,
    notes: row.notes,
    reportKey: row.report_key,
    rowsKey: row.rows_key,
    createdAt: row.created_at.toISOString(),
  };
}
