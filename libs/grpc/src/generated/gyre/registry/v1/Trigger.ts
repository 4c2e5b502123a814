// Original file: proto/registry/registry.proto


export interface Trigger {
  'reason'?: (string);
  'event_ids'?: (string)[];
}

export interface Trigger__Output {
  'reason': (string);
  'event_ids': (string)[];
}
