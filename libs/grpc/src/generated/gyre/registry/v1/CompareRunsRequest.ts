// Original file: proto/registry/registry.proto


export interface CompareRunsRequest {
  'run_id_a'?: (string);
  'run_id_b'?: (string);
}

export interface CompareRunsRequest__Output {
  'run_id_a': (string);
  'run_id_b': (string);
}
