// Original file: proto/trainer/trainer.proto


export interface Trigger {
  'reason'?: (string);
  'event_ids'?: (string)[];
}

export interface Trigger__Output {
  'reason': (string);
  'event_ids': (string)[];
}
