// Original file: proto/featurestore/feature_store.proto


export interface ColumnValues {
  'numbers'?: (number | string)[];
  'strings'?: (string)[];
  'bools'?: (boolean)[];
  'null_rows'?: (number)[];
}

export interface ColumnValues__Output {
  'numbers': (number)[];
  'strings': (string)[];
  'bools': (boolean)[];
  'null_rows': (number)[];
}
