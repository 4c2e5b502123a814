// Original file: proto/monitoring/monitoring.proto


export interface GetReferenceStatisticsRequest {
  'dataset'?: (string);
}

export interface GetReferenceStatisticsRequest__Output {
  'dataset': (string);
}
