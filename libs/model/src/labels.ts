import { type DatasetSpec, labelKind } from "@gyre/spec";
import { describeValue, TrainingInputError } from "./errors.ts";
import type { FeatureRow } from "./preprocessing.ts";

/** What a label means to a model: a class out of `classes` (spec order), or a value. */
export type LabelTarget =
  | { name: string; kind: "classification"; classes: readonly string[] }
  | { name: string; kind: "regression" };

export function labelTarget(spec: Pick<DatasetSpec, "label">): LabelTarget {
  return labelKind(spec) === "classification"
    ? { name: spec.label.name, kind: "classification", classes: spec.label.classes ?? [] }
    : { name: spec.label.name, kind: "regression" };
}

/** Class index per row; -1 for a class the model does not know (possible on a holdout for an older champion). */
export const UNKNOWN_CLASS = -1;

export interface EncodedLabels {
  /** Which input rows carry a label (rows without one are left out of training and evaluation). */
  rows: number[];
  /** classification: class index (or UNKNOWN_CLASS); regression: the value. One per entry of `rows`. */
  targets: Int32Array | Float64Array;
}

/**
 * Reads the label of every row. Missing labels (null, absent) skip the row. With `strict` (training), a class
 * outside the spec's classes or a label that is not a finite number throws a TrainingInputError; without it
 * (evaluation), an unknown class becomes UNKNOWN_CLASS and a bad regression label skips the row.
 */
export function encodeLabels(label: LabelTarget, rows: readonly FeatureRow[], strict: boolean): EncodedLabels {
  const present: number[] = [];
  const targets: number[] = [];
  const classIndex =
    label.kind === "classification" ? new Map(label.classes.map((name, index) => [name, index])) : null;
  rows.forEach((row, index) => {
    const value = row[label.name];
    if (value === null || value === undefined) return;
    if (classIndex) {
      const name = typeof value === "number" ? String(value) : value;
      const target = typeof name === "string" ? classIndex.get(name) : undefined;
      if (target === undefined && strict) {
        throw new TrainingInputError(
          "unknown-class",
          value,
          `row ${index}: label "${label.name}" is ${describeValue(value)}, which is not one of the spec's classes ${JSON.stringify(label.kind === "classification" ? label.classes : [])}`,
        );
      }
      present.push(index);
      targets.push(target ?? UNKNOWN_CLASS);
      return;
    }
    if (typeof value !== "number" || !Number.isFinite(value)) {
      if (strict) {
        throw new TrainingInputError(
          "bad-label-value",
          value,
          `row ${index}: label "${label.name}" is ${describeValue(value)}, not a finite number`,
        );
      }
      return;
    }
    present.push(index);
    targets.push(value);
  });
  return { rows: present, targets: classIndex ? Int32Array.from(targets) : Float64Array.from(targets) };
}
