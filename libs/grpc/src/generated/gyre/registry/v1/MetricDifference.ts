// Original file: proto/registry/registry.proto


export interface MetricDifference {
  'name'?: (string);
  'in_a'?: (boolean);
  'in_b'?: (boolean);
  'a'?: (number | string);
  'b'?: (number | string);
  'difference'?: (number | string);
  'better'?: (string);
}

export interface MetricDifference__Output {
  'name': (string);
  'in_a': (boolean);
  'in_b': (boolean);
  'a': (number);
  'b': (number);
  'difference': (number);
  'better': (string);
}
