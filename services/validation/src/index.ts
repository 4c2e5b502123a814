export { type Anomaly, aggregateAnomalies } from "./anomalies.ts";
export type { CellValue } from "./cells.ts";
export {
  BATCH_PROBLEM_KINDS,
  type BatchProblem,
  type BatchProblemKind,
  checkColumns,
  columnNotes,
} from "./columnCheck.ts";
export { type CsvBatch, CsvBatchError, parseCsvBatch } from "./csvBatch.ts";
export { type BatchDecision, type BatchOutcome, decideBatch, invalidShare } from "./policy.ts";
export {
  type RawBatch,
  type RawBatchKind,
  rawBatchKindOfKey,
  readRawBatch,
  readStoredBatch,
  UnreadableBatchError,
} from "./rawBatch.ts";
export {
  buildValidationReport,
  headerOfRecords,
  type QuarantinedRow,
  unreadableBatchReport,
  type ValidationReport,
} from "./report.ts";
export {
  getQuarantinedRows,
  getReport,
  type ListReportsOptions,
  listReports,
  type ReportDecision,
  type StoredQuarantinedRow,
  type StoredReport,
} from "./reportQueries.ts";
export {
  checkRow,
  ROW_PROBLEM_KINDS,
  type RowCheck,
  type RowProblem,
  type RowProblemKind,
  type TypedRow,
} from "./rowCheck.ts";
export {
  type BatchStatistics,
  batchStatistics,
  type ColumnStatistics,
  type FrequencyStatistics,
  type NumericStatistics,
  type Quantiles,
  type TimestampStatistics,
} from "./statistics.ts";
