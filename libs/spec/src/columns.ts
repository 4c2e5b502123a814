import type { DatasetSpec, FeatureType, TransformSpec } from "./schema.ts";

export type LabelKind = "classification" | "regression";

/** A column the model reads, in the order of the model's input. Categorical ones are one-hot encoded later. */
export interface ModelInputColumn {
  name: string;
  type: Exclude<FeatureType, "timestamp">;
  /** Allowed categories (categorical only), in spec order. */
  categories?: string[];
  /** Whether the value can be missing, so training and serving must impute it. */
  nullable: boolean;
  source: "feature" | "transform";
}

interface ColumnShape {
  type: FeatureType;
  categories?: string[] | undefined;
  nullable: boolean;
}

/**
 * The model's input columns, in a stable order: features in spec order, then transform outputs in spec
 * order. Left out: the eventTime column, the entityKey, and every timestamp-typed column (a model reads
 * a date through a datePart transform, not as a raw timestamp). The label is never a feature; a lag of it is.
 */
export function modelInputColumns(spec: DatasetSpec): ModelInputColumn[] {
  const shapes = new Map<string, ColumnShape>(spec.features.map((feature) => [feature.name, feature]));
  // only a lag reads the label (an earlier row's label): its output has the label's type and classes
  shapes.set(spec.label.name, { type: spec.label.type, categories: spec.label.classes, nullable: true });
  const inputs: ModelInputColumn[] = [];
  for (const feature of spec.features) {
    if (feature.name === spec.eventTime || feature.name === spec.entityKey) continue;
    const column = toInputColumn(feature.name, feature, "feature");
    if (column) inputs.push(column);
  }
  for (const transform of spec.transforms) {
    const shape = transformOutput(transform, shapes);
    shapes.set(transform.name, shape);
    const column = toInputColumn(transform.name, shape, "transform");
    if (column) inputs.push(column);
  }
  return inputs;
}

/** categorical label → classification, numeric label → regression. */
export function labelKind(spec: Pick<DatasetSpec, "label">): LabelKind {
  return spec.label.type === "categorical" ? "classification" : "regression";
}

function toInputColumn(name: string, shape: ColumnShape, source: ModelInputColumn["source"]): ModelInputColumn | null {
  if (shape.type === "timestamp") return null;
  const column: ModelInputColumn = { name, type: shape.type, nullable: shape.nullable, source };
  if (shape.type === "categorical" && shape.categories) column.categories = [...shape.categories];
  return column;
}

/** What a transform adds. Lags and rolling means are missing for an entity's first rows; a ratio for a zero denominator. */
function transformOutput(transform: TransformSpec, shapes: ReadonlyMap<string, ColumnShape>): ColumnShape {
  switch (transform.kind) {
    case "datePart":
      return { type: "integer", nullable: shapes.get(transform.from)?.nullable ?? true };
    case "ratio":
      return { type: "numeric", nullable: true };
    case "lag": {
      const source = shapes.get(transform.column);
      return { type: source?.type ?? "numeric", categories: source?.categories, nullable: true };
    }
    case "rollingMean":
      return { type: "numeric", nullable: true };
  }
}
