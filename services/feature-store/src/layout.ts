import { createHash } from "node:crypto";
import { parseDatasetName } from "@gyre/contracts";
import { type DatasetSpec, type FeatureType, type TransformSpec, transformInputs } from "@gyre/spec";

/** PostgreSQL types of the stored columns. */
export type SqlType = "double precision" | "bigint" | "text" | "boolean" | "timestamptz";

export type ColumnRole = "feature" | "transform" | "label";

/** A column of the store as the spec defines it: a feature, a transform output or the label. */
export interface SpecColumn {
  name: string;
  role: ColumnRole;
  sqlType: SqlType;
  /** The feature type, the transform kind, or the label type. */
  specType: string;
  categories?: string[];
  /** Stored at write time; false for lag and rolling means, which are computed when read. */
  stored: boolean;
}

/** What a spec turns into in the offline and online tables. */
export { transformInputs };

export interface TableLayout {
  dataset: string;
  offlineTable: string;
  onlineTable: string;
  eventTime: string;
  entityKey: string | undefined;
  label: string;
  /** Features in spec order, then transforms in spec order, then the label. */
  columns: SpecColumn[];
  /** datePart and ratio transforms whose inputs are all stored: computed in TypeScript before the rows are written. */
  writeTransforms: TransformSpec[];
  /** Every other transform, in spec order: computed in SQL when rows are read, point in time correct. */
  readTransforms: TransformSpec[];
}

/** Columns the store adds to every row; a spec may not use these names. */
export const SYSTEM_COLUMNS = {
  batchId: "_batch_id",
  batchSeq: "_batch_seq",
  rowIndex: "_row_index",
  eventTime: "_event_time",
  entityKey: "_entity_key",
} as const;

const RESERVED = new Set<string>(Object.values(SYSTEM_COLUMNS));

/** A spec the store cannot lay out as tables (reserved names, a transform over a column of the wrong type). */
export class LayoutError extends Error {
  override name = "LayoutError";
}

const SQL_TYPE: Record<FeatureType, SqlType> = {
  numeric: "double precision",
  integer: "bigint",
  categorical: "text",
  boolean: "boolean",
  timestamp: "timestamptz",
};

const NUMERIC_SQL = new Set<SqlType>(["double precision", "bigint"]);

const MAX_IDENTIFIER = 63;

/**
 * PostgreSQL cuts identifiers at 63 bytes, so two long names could meet; a longer one keeps its start and
 * ends in a hash of the whole name instead.
 */
export function sqlName(name: string): string {
  if (name.length <= MAX_IDENTIFIER) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${name.slice(0, MAX_IDENTIFIER - hash.length - 1)}_${hash}`;
}

/** `offline_<dataset>` and `online_<dataset>` with "-" as "_"; the name is checked here too, as it becomes SQL. */
export function tableNames(dataset: string): { offlineTable: string; onlineTable: string } {
  const suffix = parseDatasetName(dataset).replaceAll("-", "_");
  return { offlineTable: sqlName(`offline_${suffix}`), onlineTable: sqlName(`online_${suffix}`) };
}

/** Double-quotes an identifier; names from the spec are strict already, this is the second lock. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function tableLayout(spec: DatasetSpec): TableLayout {
  const columns: SpecColumn[] = spec.features.map((feature) => ({
    name: feature.name,
    role: "feature",
    sqlType: SQL_TYPE[feature.type],
    specType: feature.type,
    ...(feature.categories ? { categories: [...feature.categories] } : {}),
    stored: true,
  }));
  const byName = new Map(columns.map((column) => [column.name, column]));
  const writeTransforms: TransformSpec[] = [];
  const readTransforms: TransformSpec[] = [];
  const label: SpecColumn = {
    name: spec.label.name,
    role: "label",
    sqlType: spec.label.type === "categorical" ? "text" : "double precision",
    specType: spec.label.type,
    ...(spec.label.classes ? { categories: [...spec.label.classes] } : {}),
    stored: true,
  };
  for (const transform of spec.transforms) {
    // a lag may read the label (an earlier row's label; the spec refuses any other transform of it)
    const inputs = transformInputs(transform).map((input) =>
      transform.kind === "lag" && input === label.name ? label : inputColumn(spec.name, transform, input, byName),
    );
    const column = transformColumn(spec.name, transform, inputs);
    const stored =
      (transform.kind === "datePart" || transform.kind === "ratio") && inputs.every((input) => input.stored);
    column.stored = stored;
    (stored ? writeTransforms : readTransforms).push(transform);
    columns.push(column);
    byName.set(column.name, column);
  }
  columns.push(label);
  for (const column of columns) {
    if (RESERVED.has(column.name)) {
      throw new LayoutError(
        `dataset "${spec.name}": column "${column.name}" is reserved by the feature store (${[...RESERVED].join(", ")}); rename it`,
      );
    }
  }
  return {
    dataset: spec.name,
    ...tableNames(spec.name),
    eventTime: spec.eventTime,
    entityKey: spec.entityKey,
    label: spec.label.name,
    columns,
    writeTransforms,
    readTransforms,
  };
}

function inputColumn(
  dataset: string,
  transform: TransformSpec,
  input: string,
  byName: ReadonlyMap<string, SpecColumn>,
): SpecColumn {
  const column = byName.get(input);
  if (!column) {
    throw new LayoutError(
      `dataset "${dataset}": transform "${transform.name}" reads "${input}", which is not a column`,
    );
  }
  const wanted = transform.kind === "datePart" ? "timestamp" : transform.kind === "lag" ? null : "number";
  const fits =
    wanted === null || (wanted === "timestamp" ? column.sqlType === "timestamptz" : NUMERIC_SQL.has(column.sqlType));
  if (!fits) {
    throw new LayoutError(
      `dataset "${dataset}": transform "${transform.name}" (${transform.kind}) reads "${input}" of type ${column.specType}; it needs a ${wanted}`,
    );
  }
  return column;
}

function transformColumn(dataset: string, transform: TransformSpec, inputs: SpecColumn[]): SpecColumn {
  const base = { name: transform.name, role: "transform" as const, specType: transform.kind, stored: false };
  switch (transform.kind) {
    case "datePart":
      return { ...base, sqlType: "bigint" };
    case "ratio":
    case "rollingMean":
      return { ...base, sqlType: "double precision" };
    case "lag": {
      const source = inputs[0];
      if (!source) throw new LayoutError(`dataset "${dataset}": lag "${transform.name}" has no input column`);
      return { ...base, sqlType: source.sqlType, ...(source.categories ? { categories: [...source.categories] } : {}) };
    }
  }
}

/** The columns stored in the offline and online tables (features, write-time transforms, label). */
export function storedColumns(layout: TableLayout): SpecColumn[] {
  return layout.columns.filter((column) => column.stored);
}
