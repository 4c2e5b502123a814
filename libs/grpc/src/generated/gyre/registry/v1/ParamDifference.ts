// Original file: proto/registry/registry.proto


export interface ParamDifference {
  'name'?: (string);
  'a'?: (string);
  'b'?: (string);
  'differs'?: (boolean);
}

export interface ParamDifference__Output {
  'name': (string);
  'a': (string);
  'b': (string);
  'differs': (boolean);
}
