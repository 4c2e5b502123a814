import type { DatasetSpec, FeatureSpec, LabelSpec } from "@gyre/spec";
import {
  type CellValue,
  displayValue,
  isNullCell,
  type ParsedCell,
  parseBoolean,
  parseCategory,
  parseInteger,
  parseNumber,
  parseTimestamp,
  setOwn,
} from "./cells.ts";

export const ROW_PROBLEM_KINDS = [
  "type",
  "null",
  "range",
  "category",
  "label_missing",
  "label_class",
  "not_finite",
] as const;
export type RowProblemKind = (typeof ROW_PROBLEM_KINDS)[number];

export type RowProblem = {
  /** 0-based index of the row among the batch's data rows (the CSV header is not a row). */
  row: number;
  column: string;
  kind: RowProblemKind;
  /** The raw value as received, stringified and cut to 100 characters. */
  value: string;
  reason: string;
};

/**
 * A row that passed every check: one key per feature and the label, nothing else. Numbers are finite,
 * integers safe, timestamps UTC ISO strings, categories trimmed; null only where the feature is nullable.
 */
export type TypedRow = Record<string, CellValue>;

export type RowCheck = { ok: true; row: TypedRow } | { ok: false; problems: RowProblem[] };

/**
 * Checks one raw row (CSV strings or JSON values) against the spec's features and label.
 * Columns the spec does not name are ignored. Every problem in the row is reported, not just the first.
 */
export function checkRow(spec: DatasetSpec, raw: Record<string, unknown>, rowIndex: number): RowCheck {
  const row: TypedRow = {};
  const problems: RowProblem[] = [];
  for (const feature of spec.features) {
    const value = ownValue(raw, feature.name);
    const checked = checkFeatureCell(feature, value);
    if (checked.ok) setOwn(row, feature.name, checked.value);
    else problems.push(rowProblem(rowIndex, feature.name, value, checked.kind, checked.reason));
  }
  const labelValue = ownValue(raw, spec.label.name);
  const label = checkLabelCell(spec.label, labelValue);
  if (label.ok) setOwn(row, spec.label.name, label.value);
  else problems.push(rowProblem(rowIndex, spec.label.name, labelValue, label.kind, label.reason));
  return problems.length === 0 ? { ok: true, row } : { ok: false, problems };
}

function rowProblem(row: number, column: string, value: unknown, kind: RowProblemKind, reason: string): RowProblem {
  return { row, column, kind, value: displayValue(value), reason: describe(column, value, reason) };
}

type CellCheck<K extends RowProblemKind> = { ok: true; value: CellValue } | { ok: false; kind: K; reason: string };

function checkFeatureCell(feature: FeatureSpec, raw: unknown): CellCheck<RowProblemKind> {
  if (isNullCell(raw)) {
    return feature.nullable
      ? { ok: true, value: null }
      : { ok: false, kind: "null", reason: "empty, and the feature is not nullable" };
  }
  const parsed = parseFeatureValue(feature, raw);
  if (!parsed.ok || typeof parsed.value !== "number") return parsed;
  if (feature.min !== undefined && parsed.value < feature.min) {
    return { ok: false, kind: "range", reason: `below the minimum ${feature.min}` };
  }
  if (feature.max !== undefined && parsed.value > feature.max) {
    return { ok: false, kind: "range", reason: `above the maximum ${feature.max}` };
  }
  return parsed;
}

function parseFeatureValue(feature: FeatureSpec, raw: unknown): ParsedCell<Exclude<CellValue, null>> {
  switch (feature.type) {
    case "numeric":
      return parseNumber(raw);
    case "integer":
      return parseInteger(raw);
    case "boolean":
      return parseBoolean(raw);
    case "timestamp":
      return parseTimestamp(raw);
    case "categorical":
      return parseCategory(raw, feature.categories ?? [], "categories");
  }
}

function checkLabelCell(label: LabelSpec, raw: unknown): CellCheck<RowProblemKind> {
  if (isNullCell(raw)) return { ok: false, kind: "label_missing", reason: "empty; every row needs a label" };
  if (label.type === "numeric") return parseNumber(raw);
  const parsed = parseCategory(raw, label.classes ?? [], "label classes");
  return parsed.ok ? parsed : { ok: false, kind: "label_class", reason: parsed.reason };
}

/** `temp_max "abc": expected a number`; an empty cell is named without quotes. */
function describe(column: string, raw: unknown, reason: string): string {
  return isNullCell(raw) ? `${column} is ${reason}` : `${column} ${JSON.stringify(displayValue(raw))}: ${reason}`;
}

function ownValue(raw: Record<string, unknown>, column: string): unknown {
  return Object.hasOwn(raw, column) ? raw[column] : undefined;
}
