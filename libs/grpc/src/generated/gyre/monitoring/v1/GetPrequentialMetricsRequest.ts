// Original file: proto/monitoring/monitoring.proto


export interface GetPrequentialMetricsRequest {
  'dataset'?: (string);
  'limit'?: (number);
}

export interface GetPrequentialMetricsRequest__Output {
  'dataset': (string);
  'limit': (number);
}
