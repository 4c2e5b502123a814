// Original file: proto/registry/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface AuditEntry {
  'id'?: (number | string | Long);
  'action'?: (string);
  'from_version'?: (number | string | Long);
  'to_version'?: (number | string | Long);
  'actor'?: (string);
  'reason'?: (string);
  'at'?: (string);
}

export interface AuditEntry__Output {
  'id': (string);
  'action': (string);
  'from_version': (string);
  'to_version': (string);
  'actor': (string);
  'reason': (string);
  'at': (string);
}
