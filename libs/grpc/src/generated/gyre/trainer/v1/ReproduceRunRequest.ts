// Original file: proto/trainer/trainer.proto


export interface ReproduceRunRequest {
  'run_id'?: (string);
}

export interface ReproduceRunRequest__Output {
  'run_id': (string);
}
