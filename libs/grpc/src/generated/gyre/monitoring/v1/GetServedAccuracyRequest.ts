// Original file: proto/monitoring/monitoring.proto


export interface GetServedAccuracyRequest {
  'dataset'?: (string);
  'period'?: (string);
}

export interface GetServedAccuracyRequest__Output {
  'dataset': (string);
  'period': (string);
}
