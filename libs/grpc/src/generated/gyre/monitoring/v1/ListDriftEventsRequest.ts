// Original file: proto/monitoring/monitoring.proto


export interface ListDriftEventsRequest {
  'dataset'?: (string);
  'limit'?: (number);
  'include_no_drift'?: (boolean);
}

export interface ListDriftEventsRequest__Output {
  'dataset': (string);
  'limit': (number);
  'include_no_drift': (boolean);
}
