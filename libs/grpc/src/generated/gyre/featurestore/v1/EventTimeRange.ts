// Original file: proto/featurestore/feature_store.proto


export interface EventTimeRange {
  'start'?: (string);
  'end'?: (string);
}

export interface EventTimeRange__Output {
  'start': (string);
  'end': (string);
}
