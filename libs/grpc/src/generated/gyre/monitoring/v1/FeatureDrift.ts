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
  'effect_measure'?: (string);
  'effect_size'?: (number | string);
  'effect_threshold'?: (number | string);
  'rule'?: (string);
  'fired_by'?: (string)[];
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
  'effect_measure': (string);
  'effect_size': (number);
  'effect_threshold': (number);
  'rule': (string);
  'fired_by': (string)[];
}
