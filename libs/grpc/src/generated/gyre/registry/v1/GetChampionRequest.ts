// Original file: proto/registry/registry.proto


export interface GetChampionRequest {
  'dataset'?: (string);
}

export interface GetChampionRequest__Output {
  'dataset': (string);
}
