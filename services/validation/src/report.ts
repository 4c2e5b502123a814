import type { DatasetSpec } from "@gyre/spec";
import { type Anomaly, aggregateAnomalies } from "./anomalies.ts";
import { type BatchProblem, checkColumns, columnNotes } from "./columnCheck.ts";
import { decideBatch, invalidShare } from "./policy.ts";
import { checkRow, type RowProblem, type TypedRow } from "./rowCheck.ts";
import { type BatchStatistics, batchStatistics } from "./statistics.ts";

/** A row that failed its checks, kept as received so it can be stored and looked at. */
export type QuarantinedRow = { row: number; raw: Record<string, unknown>; problems: RowProblem[] };

export type ValidationReport = {
  dataset: string;
  specRevision: number;
  /** Data rows received; always validRows.length + quarantined.length. */
  rowCount: number;
  validRows: TypedRow[];
  quarantined: QuarantinedRow[];
  /** quarantined.length / rowCount, 0 for an empty batch. */
  invalidShare: number;
  /** Over the valid rows only. */
  statistics: BatchStatistics;
  anomalies: Anomaly[];
  /** Problems with the batch as a whole; any one rejects it. */
  batchProblems: BatchProblem[];
  /** Facts that did not count against the batch, such as ignored columns. */
  notes: string[];
  decision: "accept" | "reject";
  reason: string;
};

/**
 * Checks a batch against the spec and applies its validation policy. `header` is the column names as
 * the producer sent them, duplicates kept (for JSON rows: `headerOfRecords`); `rawRows` are the data
 * rows in order. Rows are checked even when the batch is rejected, so the report says what was wrong.
 */
export function buildValidationReport(
  spec: DatasetSpec,
  specRevision: number,
  header: readonly string[],
  rawRows: readonly Record<string, unknown>[],
): ValidationReport {
  const batchProblems = checkColumns(spec, header);
  if (rawRows.length === 0) batchProblems.push({ kind: "empty_batch", reason: "the batch has no data rows" });
  const validRows: TypedRow[] = [];
  const quarantined: QuarantinedRow[] = [];
  rawRows.forEach((raw, index) => {
    const checked = checkRow(spec, raw, index);
    if (checked.ok) validRows.push(checked.row);
    else quarantined.push({ row: index, raw, problems: checked.problems });
  });
  const rowCount = rawRows.length;
  const problems = quarantined.flatMap((row) => row.problems);
  const { decision, reason } = decideBatch(spec.validation.maxInvalidShare, {
    rowCount,
    invalidRowCount: quarantined.length,
    batchProblems,
  });
  return {
    dataset: spec.name,
    specRevision,
    rowCount,
    validRows,
    quarantined,
    invalidShare: invalidShare(rowCount, quarantined.length),
    statistics: batchStatistics(spec, validRows),
    anomalies: aggregateAnomalies(spec, problems, rowCount),
    batchProblems,
    notes: columnNotes(spec, header),
    decision,
    reason,
  };
}

/** The report for a batch that could not be read at all (malformed CSV, not JSON): rejected, no rows. */
export function unreadableBatchReport(spec: DatasetSpec, specRevision: number, reason: string): ValidationReport {
  const batchProblems: BatchProblem[] = [{ kind: "unreadable", reason }];
  return {
    dataset: spec.name,
    specRevision,
    rowCount: 0,
    validRows: [],
    quarantined: [],
    invalidShare: 0,
    statistics: batchStatistics(spec, []),
    anomalies: [],
    batchProblems,
    notes: [],
    decision: "reject",
    reason,
  };
}

/** The header of JSON rows: every key in order of first appearance (JSON objects cannot repeat a key). */
export function headerOfRecords(rows: readonly Record<string, unknown>[]): string[] {
  const names = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row)) names.add(name);
  return [...names];
}
