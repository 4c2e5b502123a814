// Original file: proto/registry/registry.proto


export interface ExternalOrigin {
  'format'?: (string);
  'sha256'?: (string);
  'registered_by'?: (string);
  'registered_at'?: (string);
  'preprocessing'?: (string);
}

export interface ExternalOrigin__Output {
  'format': (string);
  'sha256': (string);
  'registered_by': (string);
  'registered_at': (string);
  'preprocessing': (string);
}
