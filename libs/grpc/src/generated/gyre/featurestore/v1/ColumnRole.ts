// Original file: proto/featurestore/feature_store.proto

export const ColumnRole = {
  COLUMN_ROLE_UNSPECIFIED: 'COLUMN_ROLE_UNSPECIFIED',
  COLUMN_ROLE_EVENT_TIME: 'COLUMN_ROLE_EVENT_TIME',
  COLUMN_ROLE_ENTITY_KEY: 'COLUMN_ROLE_ENTITY_KEY',
  COLUMN_ROLE_FEATURE: 'COLUMN_ROLE_FEATURE',
  COLUMN_ROLE_TRANSFORM: 'COLUMN_ROLE_TRANSFORM',
  COLUMN_ROLE_LABEL: 'COLUMN_ROLE_LABEL',
} as const;

export type ColumnRole =
  | 'COLUMN_ROLE_UNSPECIFIED'
  | 0
  | 'COLUMN_ROLE_EVENT_TIME'
  | 1
  | 'COLUMN_ROLE_ENTITY_KEY'
  | 2
  | 'COLUMN_ROLE_FEATURE'
  | 3
  | 'COLUMN_ROLE_TRANSFORM'
  | 4
  | 'COLUMN_ROLE_LABEL'
  | 5

export type ColumnRole__Output = typeof ColumnRole[keyof typeof ColumnRole]
