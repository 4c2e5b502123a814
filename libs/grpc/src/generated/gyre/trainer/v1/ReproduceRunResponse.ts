// Original file: proto/trainer/trainer.proto

import type { Run as _gyre_trainer_v1_Run, Run__Output as _gyre_trainer_v1_Run__Output } from '../../../gyre/trainer/v1/Run.ts';
import type { MetricDifference as _gyre_trainer_v1_MetricDifference, MetricDifference__Output as _gyre_trainer_v1_MetricDifference__Output } from '../../../gyre/trainer/v1/MetricDifference.ts';

export interface ReproduceRunResponse {
  'original'?: (_gyre_trainer_v1_Run | null);
  'reproduction'?: (_gyre_trainer_v1_Run | null);
  'metrics'?: (_gyre_trainer_v1_MetricDifference)[];
  'same_backend'?: (boolean);
  'original_weights_sha256'?: (string);
  'reproduced_weights_sha256'?: (string);
  'weights_identical'?: (boolean);
}

export interface ReproduceRunResponse__Output {
  'original': (_gyre_trainer_v1_Run__Output | null);
  'reproduction': (_gyre_trainer_v1_Run__Output | null);
  'metrics': (_gyre_trainer_v1_MetricDifference__Output)[];
  'same_backend': (boolean);
  'original_weights_sha256': (string);
  'reproduced_weights_sha256': (string);
  'weights_identical': (boolean);
}
