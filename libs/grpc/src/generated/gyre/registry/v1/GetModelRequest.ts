// Original file: proto/registry/registry.proto


export interface GetModelRequest {
  'dataset'?: (string);
}

export interface GetModelRequest__Output {
  'dataset': (string);
}
