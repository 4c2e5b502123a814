// Original file: proto/trainer/trainer.proto


export interface BatchRef {
  'batch_id'?: (string);
  'sha256'?: (string);
}

export interface BatchRef__Output {
  'batch_id': (string);
  'sha256': (string);
}
