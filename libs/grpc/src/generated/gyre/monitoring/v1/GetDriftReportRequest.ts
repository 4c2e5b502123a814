// Original file: proto/monitoring/monitoring.proto


export interface GetDriftReportRequest {
  'dataset'?: (string);
  'id'?: (string);
}

export interface GetDriftReportRequest__Output {
  'dataset': (string);
  'id': (string);
}
