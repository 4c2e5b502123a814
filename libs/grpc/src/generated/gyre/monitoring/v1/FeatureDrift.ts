// Original file: proto/monitoring/monitoring.proto


export interface FeatureDrift {
  'name'?: (string);
  'test'?: (string);
  'statistic'?: (number | string);
  'p_value'?: (number | string);
  'threshold'?: (number | string);
  'psi'?: (number | string);
  'jsd'?: (number | string);
  'drifted'?: (boolean);
}

export interface FeatureDrift__Output {
  'name': (string);
  'test': (string);
  'statistic': (number);
  'p_value': (number);
  'threshold': (number);
  'psi': (number);
  'jsd': (number);
  'drifted': (boolean);
}
