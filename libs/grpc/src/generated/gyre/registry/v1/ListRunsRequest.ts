// Original file: proto/registry/registry.proto


export interface ListRunsRequest {
  'dataset'?: (string);
  'limit'?: (number);
}

export interface ListRunsRequest__Output {
  'dataset': (string);
  'limit': (number);
}
