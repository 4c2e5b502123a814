import type { Anomaly as EventAnomaly, FeatureStatistics } from "@gyre/contracts";
import type { ValidationReport } from "./report.ts";
import type { BatchStatistics, ColumnStatistics } from "./statistics.ts";

/** The contract caps anomalies per event, and reasons at 2000 characters. */
const MAX_EVENT_ANOMALIES = 1000;
const MAX_REASON_LENGTH = 2000;

/**
 * The report's statistics in the shape data.validated / data.rejected carry: one entry per feature and one for
 * the label, keyed by column name; frequencies become `categories`.
 */
export function eventStatistics(statistics: BatchStatistics, labelColumn: string): Record<string, FeatureStatistics> {
  const columns = Object.entries(statistics.features).map(([name, column]) => [name, columnStatistics(column)]);
  return Object.fromEntries([...columns, [labelColumn, columnStatistics(statistics.label)]]);
}

function columnStatistics(statistics: ColumnStatistics): FeatureStatistics {
  const { count, nullCount, nullShare } = statistics;
  switch (statistics.kind) {
    case "numeric":
      return {
        kind: "numeric",
        count,
        nullCount,
        nullShare,
        mean: finiteOrNull(statistics.mean),
        std: finiteOrNull(statistics.std),
        min: statistics.min,
        max: statistics.max,
        quantiles: statistics.quantiles,
      };
    case "frequencies":
      return { kind: "frequencies", count, nullCount, nullShare, categories: statistics.frequencies };
    case "timestamp":
      return { kind: "timestamp", count, nullCount, nullShare, min: statistics.min, max: statistics.max };
  }
}

/** A mean or std of huge finite values can overflow; JSON and the contract have no Infinity. */
function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

/**
 * Problems of the whole batch first (their count is every row of the batch), then the row anomalies, most
 * frequent first, each with its first offending value as the example; at most 1000.
 */
export function eventAnomalies(report: ValidationReport): EventAnomaly[] {
  const batch = report.batchProblems.map(
    (problem): EventAnomaly => ({
      ...(problem.column === undefined ? {} : { feature: problem.column }),
      kind: problem.kind,
      reason: eventReason(problem.reason),
      count: report.rowCount,
    }),
  );
  const rows = report.anomalies.map(
    (anomaly): EventAnomaly => ({
      feature: anomaly.column,
      kind: anomaly.kind,
      reason: eventReason(anomaly.reason),
      count: anomaly.count,
      ...(anomaly.examples[0] === undefined ? {} : { example: anomaly.examples[0].value }),
    }),
  );
  return [...batch, ...rows].slice(0, MAX_EVENT_ANOMALIES);
}

/** A reason within the contract's 2000 characters. */
export function eventReason(reason: string): string {
  return reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH - 1)}…` : reason;
}
