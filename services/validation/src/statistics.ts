import type { DatasetSpec, FeatureSpec } from "@gyre/spec";
import { mean, quantileSorted, sampleStandardDeviation } from "simple-statistics";
import type { CellValue } from "./cells.ts";
import type { TypedRow } from "./rowCheck.ts";

/**
 * Quantiles by linear interpolation between the closest ranks: R's type 7, numpy's default
 * ("linear"), as implemented by simple-statistics' quantileSorted.
 */
export type Quantiles = { p05: number; p25: number; p50: number; p75: number; p95: number };
const QUANTILE_LEVELS = { p05: 0.05, p25: 0.25, p50: 0.5, p75: 0.75, p95: 0.95 } as const;

/** `count` is the number of non-null values; `nullShare` is nullCount over the rows of the batch. */
type Presence = { count: number; nullCount: number; nullShare: number };

export type NumericStatistics = Presence & {
  kind: "numeric";
  /** null when the column has no values. */
  mean: number | null;
  /** Sample standard deviation (divides by n − 1, like pandas); null below two values. */
  std: number | null;
  min: number | null;
  max: number | null;
  quantiles: Quantiles | null;
};

/** Categorical and boolean columns and categorical labels: every declared value is listed, 0 when unseen. */
export type FrequencyStatistics = Presence & { kind: "frequencies"; frequencies: Record<string, number> };

export type TimestampStatistics = Presence & { kind: "timestamp"; min: string | null; max: string | null };

export type ColumnStatistics = NumericStatistics | FrequencyStatistics | TimestampStatistics;

export type BatchStatistics = {
  rowCount: number;
  features: Record<string, ColumnStatistics>;
  label: ColumnStatistics;
  /** Earliest and latest value of the spec's eventTime column; null when it has no values. */
  eventTimeRange: { min: string; max: string } | null;
};

/** Statistics of checked rows, per feature and for the label. */
export function batchStatistics(spec: DatasetSpec, rows: readonly TypedRow[]): BatchStatistics {
  const features = spec.features.map((feature) => [
    feature.name,
    featureStatistics(feature, columnValues(rows, feature.name)),
  ]);
  const labelValues = columnValues(rows, spec.label.name);
  const label =
    spec.label.type === "numeric"
      ? numericStatistics(labelValues)
      : frequencyStatistics(labelValues, spec.label.classes ?? []);
  const eventTime = timestampStatistics(columnValues(rows, spec.eventTime));
  return {
    rowCount: rows.length,
    features: Object.fromEntries(features),
    label,
    eventTimeRange:
      eventTime.min !== null && eventTime.max !== null ? { min: eventTime.min, max: eventTime.max } : null,
  };
}

function featureStatistics(feature: FeatureSpec, values: readonly CellValue[]): ColumnStatistics {
  switch (feature.type) {
    case "numeric":
    case "integer":
      return numericStatistics(values);
    case "categorical":
      return frequencyStatistics(values, feature.categories ?? []);
    case "boolean":
      return frequencyStatistics(values, ["false", "true"]);
    case "timestamp":
      return timestampStatistics(values);
  }
}

export function numericStatistics(values: readonly CellValue[]): NumericStatistics {
  const numbers = new Float64Array(values.length);
  let count = 0;
  for (const value of values) if (typeof value === "number") numbers[count++] = value;
  const presence = presenceOf(values, count);
  if (count === 0) {
    return { kind: "numeric", ...presence, mean: null, std: null, min: null, max: null, quantiles: null };
  }
  // a typed array sorts numerically without a comparator; simple-statistics only indexes its input
  const sorted = numbers.subarray(0, count).sort() as unknown as number[];
  return {
    kind: "numeric",
    ...presence,
    mean: mean(sorted),
    std: count > 1 ? sampleStandardDeviation(sorted) : null,
    min: sorted[0] ?? null,
    max: sorted[count - 1] ?? null,
    quantiles: {
      p05: quantileSorted(sorted, QUANTILE_LEVELS.p05),
      p25: quantileSorted(sorted, QUANTILE_LEVELS.p25),
      p50: quantileSorted(sorted, QUANTILE_LEVELS.p50),
      p75: quantileSorted(sorted, QUANTILE_LEVELS.p75),
      p95: quantileSorted(sorted, QUANTILE_LEVELS.p95),
    },
  };
}

export function frequencyStatistics(values: readonly CellValue[], declared: readonly string[]): FrequencyStatistics {
  const counts = new Map<string, number>(declared.map((value) => [value, 0]));
  let count = 0;
  for (const value of values) {
    if (value === null) continue;
    const key = String(value);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    count += 1;
  }
  return { kind: "frequencies", ...presenceOf(values, count), frequencies: Object.fromEntries(counts) };
}

/** Timestamps are UTC ISO strings with four-digit years, so string order is time order. */
export function timestampStatistics(values: readonly CellValue[]): TimestampStatistics {
  let min: string | null = null;
  let max: string | null = null;
  let count = 0;
  for (const value of values) {
    if (typeof value !== "string") continue;
    count += 1;
    if (min === null || value < min) min = value;
    if (max === null || value > max) max = value;
  }
  return { kind: "timestamp", ...presenceOf(values, count), min, max };
}

function presenceOf(values: readonly CellValue[], count: number): Presence {
  const nullCount = values.length - count;
  return { count, nullCount, nullShare: values.length === 0 ? 0 : nullCount / values.length };
}

function columnValues(rows: readonly TypedRow[], column: string): CellValue[] {
  return rows.map((row) => (Object.hasOwn(row, column) ? (row[column] ?? null) : null));
}
