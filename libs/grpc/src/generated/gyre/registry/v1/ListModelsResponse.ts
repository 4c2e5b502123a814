// Original file: proto/registry/registry.proto

import type { ModelSummary as _gyre_registry_v1_ModelSummary, ModelSummary__Output as _gyre_registry_v1_ModelSummary__Output } from '../../../gyre/registry/v1/ModelSummary.ts';

export interface ListModelsResponse {
  'models'?: (_gyre_registry_v1_ModelSummary)[];
}

export interface ListModelsResponse__Output {
  'models': (_gyre_registry_v1_ModelSummary__Output)[];
}
