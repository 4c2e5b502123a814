// Original file: proto/featurestore/feature_store.proto


export interface GetOnlineFeaturesRequest {
  'dataset'?: (string);
  'entity_keys'?: (string)[];
  'at'?: (string);
  'with_history'?: (boolean);
}

export interface GetOnlineFeaturesRequest__Output {
  'dataset': (string);
  'entity_keys': (string)[];
  'at': (string);
  'with_history': (boolean);
}
