// Original file: proto/trainer/trainer.proto


export interface TrainResponse {
  'trigger_id'?: (string);
  'run_id'?: (string);
  'queued'?: (boolean);
  'running_run_id'?: (string);
}

export interface TrainResponse__Output {
  'trigger_id': (string);
  'run_id': (string);
  'queued': (boolean);
  'running_run_id': (string);
}
