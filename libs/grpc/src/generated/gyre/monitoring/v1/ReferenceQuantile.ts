// Original file: proto/monitoring/monitoring.proto


export interface ReferenceQuantile {
  'q'?: (number | string);
  'value'?: (number | string);
}

export interface ReferenceQuantile__Output {
  'q': (number);
  'value': (number);
}
