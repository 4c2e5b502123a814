import type { ColumnReference, ReferenceStats } from "@gyre/model";
import { countCategories } from "./categoryCounts.ts";
import { type DriftPolicy, driftDecision, type FeatureVerdict } from "./driftDecision.ts";
import { categoricalFeatureTest, type FeatureTestResult, numericFeatureTest } from "./featureTest.ts";
import { categoricalHistograms, numericHistograms } from "./histogram.ts";

/** What the report draws for one feature: reference and current shares on the same bins or categories. */
export type FeatureChart =
  | { kind: "numeric"; edges: number[]; reference: number[]; current: number[] }
  | { kind: "categorical"; categories: string[]; reference: number[]; current: number[] };

export interface FeatureCheck extends FeatureTestResult {
  /** Present values on each side: the reference's sample (numeric) or counted rows (categorical), the window's. */
  referenceCount: number;
  currentCount: number;
  chart: FeatureChart;
}

export type FeatureVerdictWithChart = FeatureVerdict<FeatureCheck>;

export interface WindowCheck {
  features: FeatureVerdictWithChart[];
  driftedFeatures: string[];
  share: number;
  datasetDrift: boolean;
  rows: number;
}

/**
 * Tests each of `columns` that the reference describes and the window holds values of: KS against the reference's
 * sample for numeric columns, chi-square against its category counts for categorical and boolean ones, with PSI and
 * JS distance beside; then the policy's correction and the dataset decision.
 */
export function checkWindow(
  reference: ReferenceStats,
  rows: readonly Readonly<Record<string, unknown>>[],
  columns: readonly string[],
  policy: DriftPolicy,
): WindowCheck {
  const wanted = new Set(columns);
  const checks: FeatureCheck[] = [];
  for (const column of reference.columns) {
    if (!wanted.has(column.name)) continue;
    const check = checkColumn(column, rows);
    if (check !== null) checks.push(check);
  }
  const decision = driftDecision(checks, policy);
  return { ...decision, rows: rows.length };
}

function checkColumn(column: ColumnReference, rows: readonly Readonly<Record<string, unknown>>[]): FeatureCheck | null {
  if (column.kind === "numeric") {
    const current = numericValues(rows, column.name);
    if (current.length === 0 || column.sample.length === 0) return null;
    const histograms = numericHistograms(column.sample, current);
    return {
      ...numericFeatureTest(column.name, column.sample, current),
      referenceCount: column.sample.length,
      currentCount: current.length,
      chart: {
        kind: "numeric",
        edges: histograms.edges,
        reference: histograms.reference.shares,
        current: histograms.current.shares,
      },
    };
  }
  const referenceCounts = new Map(column.categories.map((category) => [category.value, category.count]));
  const current = countCategories(rows.map((row) => categoryOf(row[column.name])));
  const currentCount = [...current.values()].reduce((sum, count) => sum + count, 0);
  const referenceCount = [...referenceCounts.values()].reduce((sum, count) => sum + count, 0);
  if (currentCount === 0 || referenceCount === 0) return null;
  const histograms = categoricalHistograms(referenceCounts, current);
  return {
    ...categoricalFeatureTest(column.name, referenceCounts, current),
    referenceCount,
    currentCount,
    chart: {
      kind: "categorical",
      categories: histograms.categories,
      reference: histograms.reference.shares,
      current: histograms.current.shares,
    },
  };
}

/** Finite numbers of a column; missing and non-numeric cells are left out. */
function numericValues(rows: readonly Readonly<Record<string, unknown>>[], name: string): number[] {
  const values: number[] = [];
  for (const row of rows) {
    const value = row[name];
    if (typeof value === "number" && Number.isFinite(value)) values.push(value);
  }
  return values;
}

/** Booleans as the reference counts them ("false"/"true"); strings and numbers as their text. */
function categoryOf(value: unknown): string | null {
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return null;
}
