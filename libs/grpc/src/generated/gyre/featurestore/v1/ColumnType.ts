// Original file: proto/featurestore/feature_store.proto

export const ColumnType = {
  COLUMN_TYPE_UNSPECIFIED: 'COLUMN_TYPE_UNSPECIFIED',
  COLUMN_TYPE_DOUBLE: 'COLUMN_TYPE_DOUBLE',
  COLUMN_TYPE_INT64: 'COLUMN_TYPE_INT64',
  COLUMN_TYPE_STRING: 'COLUMN_TYPE_STRING',
  COLUMN_TYPE_BOOL: 'COLUMN_TYPE_BOOL',
  COLUMN_TYPE_TIMESTAMP: 'COLUMN_TYPE_TIMESTAMP',
} as const;

export type ColumnType =
  | 'COLUMN_TYPE_UNSPECIFIED'
  | 0
  | 'COLUMN_TYPE_DOUBLE'
  | 1
  | 'COLUMN_TYPE_INT64'
  | 2
  | 'COLUMN_TYPE_STRING'
  | 3
  | 'COLUMN_TYPE_BOOL'
  | 4
  | 'COLUMN_TYPE_TIMESTAMP'
  | 5

export type ColumnType__Output = typeof ColumnType[keyof typeof ColumnType]
