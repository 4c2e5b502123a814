import { type DatasetSpec, labelKind, modelInputColumns } from "@gyre/spec";
import { z } from "zod";
import { InvalidFeatureValueError } from "./errors.ts";

/** One row of a training set or a request: column name → value; null or absent means missing. */
export type FeatureRow = Readonly<Record<string, unknown>>;

/** A numeric, integer or boolean column: missing → the training mean, then (x − mean) / std. One feature. */
export interface ScaledColumn {
  name: string;
  type: "numeric" | "integer" | "boolean";
  /** Mean over the training rows' present values (booleans as 0/1); also the value a missing one gets. */
  mean: number;
  /** Population standard deviation (n, not n − 1) of the same values; 1 where that is 0. */
  std: number;
}

/** A categorical column: one feature per spec category, in spec order; unknown or missing → all zeros. */
export interface OneHotColumn {
  name: string;
  type: "categorical";
  categories: string[];
}

export type PreprocessedColumn = ScaledColumn | OneHotColumn;

export type LabelEncoding =
  /** The target is the index of the class in `classes` (spec order). */
  | { name: string; kind: "classification"; classes: string[] }
  /** The target is the value itself; mean and std of the training labels are kept for reference. */
  | { name: string; kind: "regression"; mean: number; std: number };

/**
 * The fitted transform from rows to the model's [N, F] float32 input, stored as preprocessing.json next to the
 * model so that serving applies exactly what training did.
 *
 * Feature order: the columns of `modelInputColumns(spec)` in their order (features in spec order, then
 * transform outputs); a scaled column gives one feature named after it, a categorical column one feature per
 * category named `<column>=<category>`. `features` lists them.
 */
export interface Preprocessing {
  format: typeof PREPROCESSING_FORMAT;
  columns: PreprocessedColumn[];
  features: string[];
  label: LabelEncoding;
}

export const PREPROCESSING_FORMAT = "gyre.preprocessing/v1";

/** Fits scaling, imputation and one-hot encoding on training rows only (never on holdout rows). */
export function fitPreprocessing(spec: DatasetSpec, trainRows: readonly FeatureRow[]): Preprocessing {
  const columns = modelInputColumns(spec).map((column): PreprocessedColumn => {
    if (column.type === "categorical")
      return { name: column.name, type: "categorical", categories: column.categories ?? [] };
    return { name: column.name, type: column.type, ...meanAndStd(column.name, column.type, trainRows) };
  });
  const label: LabelEncoding =
    labelKind(spec) === "classification"
      ? { name: spec.label.name, kind: "classification", classes: [...(spec.label.classes ?? [])] }
      : { name: spec.label.name, kind: "regression", ...meanAndStd(spec.label.name, "numeric", trainRows) };
  return { format: PREPROCESSING_FORMAT, columns, features: featureNames(columns), label };
}

export function featureNames(columns: readonly PreprocessedColumn[]): string[] {
  return columns.flatMap((column) =>
    column.type === "categorical" ? column.categories.map((category) => `${column.name}=${category}`) : [column.name],
  );
}

/** Rows → row-major float32 [rows.length, features.length]. Pure and deterministic. */
export function transformRows(preprocessing: Preprocessing, rows: readonly FeatureRow[]): Float32Array {
  const width = preprocessing.features.length;
  const output = new Float32Array(rows.length * width);
  const lookups = preprocessing.columns.map((column) =>
    column.type === "categorical" ? new Map(column.categories.map((category, index) => [category, index])) : null,
  );
  rows.forEach((row, rowIndex) => {
    let offset = rowIndex * width;
    preprocessing.columns.forEach((column, columnIndex) => {
      if (column.type === "categorical") {
        const category = categoryValue(row[column.name], column.name, rowIndex);
        const index = category === null ? undefined : lookups[columnIndex]?.get(category);
        if (index !== undefined) output[offset + index] = 1;
        offset += column.categories.length;
      } else {
        const value = numericValue(row[column.name], column.name, column.type, rowIndex);
        output[offset] = value === null ? 0 : (value - column.mean) / column.std;
        offset += 1;
      }
    });
  });
  return output;
}

/** A numeric, integer or boolean cell as a number; null when missing. */
export function numericValue(value: unknown, column: string, type: ScaledColumn["type"], row: number): number | null {
  if (value === null || value === undefined) return null;
  if (type === "boolean") {
    if (typeof value === "boolean") return value ? 1 : 0;
    if (value === 0 || value === 1) return value;
    throw new InvalidFeatureValueError(column, row, value, "a boolean");
  }
  if (typeof value !== "number") throw new InvalidFeatureValueError(column, row, value, "a number");
  if (Number.isNaN(value)) return null;
  if (!Number.isFinite(value)) throw new InvalidFeatureValueError(column, row, value, "a finite number");
  return value;
}

/** A categorical cell as its category text; null when missing. Numbers are read as their decimal text. */
export function categoryValue(value: unknown, column: string, row: number): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  throw new InvalidFeatureValueError(column, row, value, "a category");
}

function meanAndStd(
  column: string,
  type: ScaledColumn["type"],
  rows: readonly FeatureRow[],
): { mean: number; std: number } {
  let count = 0;
  let mean = 0;
  let squares = 0;
  rows.forEach((row, index) => {
    const value = numericValue(row[column], column, type, index);
    if (value === null) return;
    count += 1;
    const delta = value - mean;
    mean += delta / count;
    squares += delta * (value - mean);
  });
  const std = count > 0 ? Math.sqrt(squares / count) : 0;
  // All missing: nothing to centre on, so 0 and a unit scale keep the feature at 0.
  return { mean: count > 0 ? mean : 0, std: std > 0 && Number.isFinite(std) ? std : 1 };
}

const columnSchema = z.discriminatedUnion("type", [
  z.object({
    name: z.string().min(1),
    type: z.enum(["numeric", "integer", "boolean"]),
    mean: z.number(),
    std: z.number().positive(),
  }),
  z.object({ name: z.string().min(1), type: z.literal("categorical"), categories: z.array(z.string()) }),
]);

const preprocessingSchema = z.object({
  format: z.literal(PREPROCESSING_FORMAT),
  columns: z.array(columnSchema),
  features: z.array(z.string()),
  label: z.discriminatedUnion("kind", [
    z.object({ name: z.string().min(1), kind: z.literal("classification"), classes: z.array(z.string()).min(2) }),
    z.object({ name: z.string().min(1), kind: z.literal("regression"), mean: z.number(), std: z.number() }),
  ]),
});

/** Reads preprocessing.json; throws with the problems when it is not one this trainer wrote. */
export function parsePreprocessing(json: unknown): Preprocessing {
  const preprocessing = preprocessingSchema.parse(json);
  const expected = featureNames(preprocessing.columns);
  if (expected.join("\u0000") !== preprocessing.features.join("\u0000")) {
    throw new Error(`features ${JSON.stringify(preprocessing.features)} do not match the columns (${expected.length})`);
  }
  return preprocessing;
}
