// Original file: proto/featurestore/feature_store.proto


export interface FeatureValue {
  'number_value'?: (number | string);
  'string_value'?: (string);
  'bool_value'?: (boolean);
  'null_value'?: (boolean);
  'kind'?: "number_value"|"string_value"|"bool_value"|"null_value";
}

export interface FeatureValue__Output {
  'number_value'?: (number);
  'string_value'?: (string);
  'bool_value'?: (boolean);
  'null_value'?: (boolean);
  'kind'?: "number_value"|"string_value"|"bool_value"|"null_value";
}
