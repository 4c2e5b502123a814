import { encodeLabels, type FeatureRow, type LabelTarget, TrainingInputError } from "@gyre/model";
import type { DatasetSpec, ModelInputColumn } from "@gyre/spec";

export interface LabelledTrainingSet {
  /** The training rows that carry a label, in their order. */
  rows: FeatureRow[];
  /** Their targets: class index or value. */
  targets: Int32Array | Float64Array;
  /** Holdout rows that carry a label. */
  holdoutRows: number;
}

/**
 * Everything that makes a training set unusable, found before any training: no rows, no labelled rows, the
 * label or a model input column absent from every row, a label outside the spec's classes or not a number,
 * a single class, an empty holdout. Each throws a TrainingInputError naming the problem and the value.
 */
export function checkTrainingInput(
  spec: DatasetSpec,
  label: LabelTarget,
  columns: readonly ModelInputColumn[],
  trainRows: readonly FeatureRow[],
  holdoutRows: readonly FeatureRow[],
): LabelledTrainingSet {
  if (trainRows.length === 0) {
    throw new TrainingInputError(
      "no-training-rows",
      0,
      `dataset "${spec.name}": the training set has no rows; train once at least ${spec.training.minRows} rows (training.minRows) arrived`,
    );
  }
  if (!trainRows.some((row) => label.name in row)) {
    throw new TrainingInputError(
      "label-missing",
      label.name,
      `label column "${label.name}" is missing from all ${trainRows.length} training rows (columns: ${columnsOf(trainRows[0])})`,
    );
  }
  for (const column of columns) {
    if (!trainRows.some((row) => column.name in row)) {
      throw new TrainingInputError(
        "feature-missing",
        column.name,
        `model input column "${column.name}" is missing from all ${trainRows.length} training rows (columns: ${columnsOf(trainRows[0])})`,
      );
    }
  }
  const encoded = encodeLabels(label, trainRows, true);
  if (encoded.rows.length === 0) {
    throw new TrainingInputError(
      "no-training-rows",
      0,
      `none of the ${trainRows.length} training rows has a value for label "${label.name}"`,
    );
  }
  if (label.kind === "classification") checkClasses(label, encoded.targets);
  const holdout = encodeLabels(label, holdoutRows, false).rows.length;
  if (holdout === 0) {
    throw new TrainingInputError(
      "no-holdout-rows",
      holdoutRows.length,
      `the holdout has no rows with a label "${label.name}" (${holdoutRows.length} rows): nothing to score the model on; raise training.holdoutShare (now ${spec.training.holdoutShare}) or wait for more rows`,
    );
  }
  const rows =
    encoded.rows.length === trainRows.length
      ? [...trainRows]
      : encoded.rows.map((index) => trainRows[index] as FeatureRow);
  return { rows, targets: encoded.targets, holdoutRows: holdout };
}

function checkClasses(label: Extract<LabelTarget, { kind: "classification" }>, targets: ArrayLike<number>): void {
  const seen = new Set<number>();
  for (let i = 0; i < targets.length && seen.size < 2; i++) seen.add(targets[i] as number);
  if (seen.size >= 2) return;
  const only = label.classes[[...seen][0] as number] as string;
  throw new TrainingInputError(
    "single-class",
    only,
    `all ${targets.length} training labels of "${label.name}" are "${only}": a classifier needs at least two of the classes ${JSON.stringify(label.classes)}`,
  );
}

function columnsOf(row: FeatureRow | undefined): string {
  const names = Object.keys(row ?? {});
  return names.length > 12 ? `${names.slice(0, 12).join(", ")}, ...` : names.join(", ") || "none";
}
