// Original file: proto/monitoring/monitoring.proto


export interface ListRetrainsRequest {
  'dataset'?: (string);
  'limit'?: (number);
}

export interface ListRetrainsRequest__Output {
  'dataset': (string);
  'limit': (number);
}
