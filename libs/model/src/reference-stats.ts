import type { ModelInputColumn } from "@gyre/spec";
import { z } from "zod";
import type { LabelTarget } from "./labels.ts";
import { categoryValue, type FeatureRow, numericValue } from "./preprocessing.ts";
import { deriveSeed, mulberry32, sampleWithoutReplacement } from "./random.ts";

export const REFERENCE_STATS_FORMAT = "gyre.reference-stats/v1";
export const HISTOGRAM_BINS = 20;
export const SAMPLE_SIZE = 1000;
export const QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99] as const;

/** A numeric or integer column of the training rows, as monitoring compares live values with it. */
export interface NumericReference {
  name: string;
  kind: "numeric";
  /** Present values. */
  count: number;
  missing: number;
  mean: number;
  /** Sample standard deviation (n − 1); 0 below two values. */
  std: number;
  min: number;
  max: number;
  /** R-7 (linear interpolation) quantiles at QUANTILES, in that order. */
  quantiles: { q: number; value: number }[];
  /** HISTOGRAM_BINS equal-width bins over [min, max] (one bin when min = max); the last bin includes max. */
  histogram: { edges: number[]; counts: number[] };
  /** Up to SAMPLE_SIZE present values drawn with the run seed, in training order: the reference side of a KS test. */
  sample: number[];
}

/** A categorical or boolean column: how often each value occurred. */
export interface CategoricalReference {
  name: string;
  kind: "categorical";
  count: number;
  missing: number;
  /** Every allowed value in spec order (booleans: "false", "true"), with its count and share of present values. */
  categories: { value: string; count: number; share: number }[];
  /** Present values outside the allowed ones. */
  unknown: number;
}

export type ColumnReference = NumericReference | CategoricalReference;

/** Training-reference statistics, stored as reference-stats.json: per model input column, and the label. */
export interface ReferenceStats {
  format: typeof REFERENCE_STATS_FORMAT;
  rows: number;
  columns: ColumnReference[];
  label: ColumnReference;
}

export function referenceStats(
  columns: readonly ModelInputColumn[],
  label: LabelTarget,
  rows: readonly FeatureRow[],
  seed: number,
): ReferenceStats {
  const describe = (column: ModelInputColumn): ColumnReference => {
    if (column.type === "categorical") return categorical(column.name, column.categories ?? [], rows, categoryValue);
    if (column.type === "boolean") {
      return categorical(column.name, ["false", "true"], rows, (value, name, index) => {
        const flag = numericValue(value, name, "boolean", index);
        return flag === null ? null : flag === 1 ? "true" : "false";
      });
    }
    return numeric(column.name, column.type, rows, seed);
  };
  return {
    format: REFERENCE_STATS_FORMAT,
    rows: rows.length,
    columns: columns.map(describe),
    label:
      label.kind === "classification"
        ? categorical(label.name, label.classes, rows, categoryValue)
        : numeric(label.name, "numeric", rows, seed),
  };
}

function numeric(
  name: string,
  type: "numeric" | "integer",
  rows: readonly FeatureRow[],
  seed: number,
): NumericReference {
  const values: number[] = [];
  rows.forEach((row, index) => {
    const value = numericValue(row[name], name, type, index);
    if (value !== null) values.push(value);
  });
  const sorted = Float64Array.from(values).sort();
  const count = values.length;
  const mean = count > 0 ? values.reduce((sum, value) => sum + value, 0) / count : 0;
  const squares = values.reduce((sum, value) => sum + (value - mean) ** 2, 0);
  const min = sorted[0] ?? 0;
  const max = sorted[count - 1] ?? 0;
  return {
    name,
    kind: "numeric",
    count,
    missing: rows.length - count,
    mean,
    std: count > 1 ? Math.sqrt(squares / (count - 1)) : 0,
    min,
    max,
    quantiles: QUANTILES.map((q) => ({ q, value: quantileSorted(sorted, q) })),
    histogram: histogram(sorted, min, max),
    sample: sampleWithoutReplacement(values, SAMPLE_SIZE, mulberry32(deriveSeed(seed, "reference-sample", name))),
  };
}

function categorical(
  name: string,
  allowed: readonly string[],
  rows: readonly FeatureRow[],
  read: (value: unknown, column: string, row: number) => string | null,
): CategoricalReference {
  const counts = new Map(allowed.map((value) => [value, 0]));
  let missing = 0;
  let unknown = 0;
  rows.forEach((row, index) => {
    const value = read(row[name], name, index);
    if (value === null) missing += 1;
    else if (counts.has(value)) counts.set(value, (counts.get(value) ?? 0) + 1);
    else unknown += 1;
  });
  const present = rows.length - missing;
  return {
    name,
    kind: "categorical",
    count: present,
    missing,
    categories: [...counts].map(([value, count]) => ({ value, count, share: present > 0 ? count / present : 0 })),
    unknown,
  };
}

/** h = (n − 1)q, interpolating between the values around h. 0 for no values. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const h = (sorted.length - 1) * q;
  const low = Math.floor(h);
  const lower = sorted[low] as number;
  const upper = sorted[Math.min(low + 1, sorted.length - 1)] as number;
  return lower + (h - low) * (upper - lower);
}

export function histogram(sorted: ArrayLike<number>, min: number, max: number): NumericReference["histogram"] {
  const bins = max > min ? HISTOGRAM_BINS : 1;
  const width = (max - min) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, index) => (index === bins ? max : min + index * width));
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < sorted.length; i++) {
    const bin = width > 0 ? Math.min(Math.floor(((sorted[i] as number) - min) / width), bins - 1) : 0;
    counts[bin] = (counts[bin] as number) + 1;
  }
  return { edges, counts: sorted.length > 0 ? counts : new Array<number>(bins).fill(0) };
}

const numericReferenceSchema = z.object({
  name: z.string(),
  kind: z.literal("numeric"),
  count: z.number().int().min(0),
  missing: z.number().int().min(0),
  mean: z.number(),
  std: z.number().min(0),
  min: z.number(),
  max: z.number(),
  quantiles: z.array(z.object({ q: z.number(), value: z.number() })),
  histogram: z.object({ edges: z.array(z.number()), counts: z.array(z.number().int().min(0)) }),
  sample: z.array(z.number()),
});
const categoricalReferenceSchema = z.object({
  name: z.string(),
  kind: z.literal("categorical"),
  count: z.number().int().min(0),
  missing: z.number().int().min(0),
  categories: z.array(z.object({ value: z.string(), count: z.number().int().min(0), share: z.number() })),
  unknown: z.number().int().min(0),
});
const columnReferenceSchema = z.discriminatedUnion("kind", [numericReferenceSchema, categoricalReferenceSchema]);
const referenceStatsSchema = z.object({
  format: z.literal(REFERENCE_STATS_FORMAT),
  rows: z.number().int().min(0),
  columns: z.array(columnReferenceSchema),
  label: columnReferenceSchema,
});

export function parseReferenceStats(json: unknown): ReferenceStats {
  return referenceStatsSchema.parse(json);
}
