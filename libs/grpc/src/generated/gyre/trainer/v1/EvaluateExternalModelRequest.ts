// Original file: proto/trainer/trainer.proto


export interface EvaluateExternalModelRequest {
  'dataset'?: (string);
  'artifact_key'?: (string);
}

export interface EvaluateExternalModelRequest__Output {
  'dataset': (string);
  'artifact_key': (string);
}
