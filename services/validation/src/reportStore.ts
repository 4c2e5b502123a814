import { withTransaction } from "@gyre/db";
import type pg from "pg";
import type { QuarantinedRow } from "./report.ts";
import {
  getReport,
  type Queryable,
  REPORT_COLUMNS,
  type ReportRow,
  reportFromRow,
  type StoredReport,
} from "./reportQueries.ts";

export type NewReport = Omit<StoredReport, "createdAt">;

export type SaveResult = {
  /** false when the batch already had a report: nothing was written, and `report` is the one stored earlier. */
  inserted: boolean;
  report: StoredReport;
};

const QUARANTINE_CHUNK_ROWS = 5000;

/**
 * Stores a batch's report and its quarantined rows in one transaction. A batch has one report: saving again
 * (a redelivered event, a second replica racing on it) writes nothing and returns the report stored first.
 * A report without quarantined rows is a single INSERT, atomic by itself, so it takes no transaction.
 */
export async function saveReport(
  pool: pg.Pool,
  report: NewReport,
  quarantined: readonly QuarantinedRow[],
): Promise<SaveResult> {
  if (quarantined.length === 0) return insertReport(pool, report, quarantined);
  return withTransaction(pool, (client) => insertReport(client, report, quarantined));
}

async function insertReport(
  db: Queryable,
  report: NewReport,
  quarantined: readonly QuarantinedRow[],
): Promise<SaveResult> {
  const inserted = await db.query<ReportRow>(
    `INSERT INTO reports (batch_id, dataset, sha256, spec_revision, decision, reason, row_count, valid_rows,
       invalid_rows, statistics, anomalies, notes, report_key, rows_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12::jsonb, $13, $14)
     ON CONFLICT (batch_id) DO NOTHING
     RETURNING ${REPORT_COLUMNS}`,
    [
      report.batchId,
      report.dataset,
      report.sha256,
      report.specRevision,
      report.decision,
      withoutNul(report.reason),
      report.rowCount,
      report.validRows,
      report.invalidRows,
      jsonb(report.statistics),
      jsonb(report.anomalies),
      jsonb(report.notes),
      report.reportKey,
      report.rowsKey,
    ],
  );
  const row = inserted.rows[0];
  if (row !== undefined) {
    await insertQuarantinedRows(db, report.batchId, quarantined);
    return { inserted: true, report: reportFromRow(row) };
  }
  const stored = await getReport(db, report.batchId);
  if (stored === null) throw new Error(`report of batch "${report.batchId}" conflicted but cannot be found`);
  return { inserted: false, report: stored };
}

async function insertQuarantinedRows(
  client: Queryable,
  batchId: string,
  quarantined: readonly QuarantinedRow[],
): Promise<void> {
  for (let start = 0; start < quarantined.length; start += QUARANTINE_CHUNK_ROWS) {
    const chunk = quarantined.slice(start, start + QUARANTINE_CHUNK_ROWS);
    const records = chunk.map((row) => ({ row_index: row.row, raw: row.raw, problems: row.problems }));
    await client.query(
      `INSERT INTO quarantined_rows (batch_id, row_index, raw, problems)
       SELECT $1, r.row_index, r.raw, r.problems
         FROM jsonb_to_recordset($2::jsonb) AS r(row_index integer, raw jsonb, problems jsonb)
       ON CONFLICT (batch_id, row_index) DO NOTHING`,
      [batchId, jsonb(records)],
    );
  }
}

/** JSON for a jsonb parameter. */
function jsonb(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === "string" ? withoutNul(item) : item));
}

/** PostgreSQL text and jsonb cannot hold U+0000, which a raw cell or header may contain: it becomes U+FFFD. */
function withoutNul(text: string): string {
  return text.includes("\u0000") ? text.replaceAll("\u0000", "\uFFFD") : text;
}
