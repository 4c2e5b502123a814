// Original file: proto/registry/registry.proto


export interface RegisterExternalModelRequest {
  'dataset'?: (string);
  'format'?: (string);
  'model'?: (Buffer | Uint8Array | string);
  'preprocessing'?: (string);
  'actor'?: (string);
  'reason'?: (string);
}

export interface RegisterExternalModelRequest__Output {
  'dataset': (string);
  'format': (string);
  'model': (Buffer);
  'preprocessing': (string);
  'actor': (string);
  'reason': (string);
}
