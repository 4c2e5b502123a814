// Original file: proto/trainer/trainer.proto


export interface MetricDifference {
  'name'?: (string);
  'original'?: (number | string);
  'reproduced'?: (number | string);
  'difference'?: (number | string);
}

export interface MetricDifference__Output {
  'name': (string);
  'original': (number);
  'reproduced': (number);
  'difference': (number);
}
