// Original file: proto/registry/registry.proto


export interface RollbackRequest {
  'dataset'?: (string);
  'actor'?: (string);
  'reason'?: (string);
  'request_id'?: (string);
}

export interface RollbackRequest__Output {
  'dataset': (string);
  'actor': (string);
  'reason': (string);
  'request_id': (string);
}
