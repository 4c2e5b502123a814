// Original file: proto/trainer/trainer.proto


export interface TrainRequest {
  'dataset'?: (string);
  'actor'?: (string);
  'reason'?: (string);
  'request_id'?: (string);
}

export interface TrainRequest__Output {
  'dataset': (string);
  'actor': (string);
  'reason': (string);
  'request_id': (string);
}
