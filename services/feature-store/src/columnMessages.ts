import type { FeatureColumn, FeatureColumnRole, FeatureColumnType } from "@gyre/grpc";
import type { SpecColumn, SqlType, TableLayout } from "./layout.ts";

const COLUMN_TYPE: Record<SqlType, FeatureColumnType> = {
  "double precision": "COLUMN_TYPE_DOUBLE",
  bigint: "COLUMN_TYPE_INT64",
  text: "COLUMN_TYPE_STRING",
  boolean: "COLUMN_TYPE_BOOL",
  timestamptz: "COLUMN_TYPE_TIMESTAMP",
};

const COLUMN_ROLE: Record<SpecColumn["role"], FeatureColumnRole> = {
  feature: "COLUMN_ROLE_FEATURE",
  transform: "COLUMN_ROLE_TRANSFORM",
  label: "COLUMN_ROLE_LABEL",
};

export function columnType(sqlType: SqlType): FeatureColumnType {
  return COLUMN_TYPE[sqlType];
}

/** The spec's columns as the API describes them: features, transforms, label, in layout order. */
export function specColumnMessages(layout: TableLayout): FeatureColumn[] {
  return layout.columns.map((column) => ({
    name: column.name,
    type: COLUMN_TYPE[column.sqlType],
    role: COLUMN_ROLE[column.role],
    categories: column.categories ?? [],
    spec_type: column.specType,
  }));
}

/** The two columns every exported row starts with. */
export const EVENT_TIME_COLUMN: FeatureColumn = {
  name: "event_time",
  type: "COLUMN_TYPE_TIMESTAMP",
  role: "COLUMN_ROLE_EVENT_TIME",
  categories: [],
  spec_type: "timestamp",
};
export const ENTITY_KEY_COLUMN: FeatureColumn = {
  name: "entity_key",
  type: "COLUMN_TYPE_STRING",
  role: "COLUMN_ROLE_ENTITY_KEY",
  categories: [],
  spec_type: "categorical",
};
