// Original file: proto/monitoring/monitoring.proto

import type { Retrain as _gyre_monitoring_v1_Retrain, Retrain__Output as _gyre_monitoring_v1_Retrain__Output } from '../../../gyre/monitoring/v1/Retrain.ts';

export interface ListRetrainsResponse {
  'dataset'?: (string);
  'retrains'?: (_gyre_monitoring_v1_Retrain)[];
}

export interface ListRetrainsResponse__Output {
  'dataset': (string);
  'retrains': (_gyre_monitoring_v1_Retrain__Output)[];
}
