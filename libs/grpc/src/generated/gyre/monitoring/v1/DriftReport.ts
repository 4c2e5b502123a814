// Original file: proto/monitoring/monitoring.proto


export interface DriftReport {
  'dataset'?: (string);
  'id'?: (string);
  'report_key'?: (string);
  'html'?: (string);
}

export interface DriftReport__Output {
  'dataset': (string);
  'id': (string);
  'report_key': (string);
  'html': (string);
}
