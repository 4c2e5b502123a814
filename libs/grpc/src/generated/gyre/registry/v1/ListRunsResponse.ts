// Original file: proto/registry/registry.proto

import type { Run as _gyre_registry_v1_Run, Run__Output as _gyre_registry_v1_Run__Output } from '../../../gyre/registry/v1/Run.ts';

export interface ListRunsResponse {
  'runs'?: (_gyre_registry_v1_Run)[];
}

export interface ListRunsResponse__Output {
  'runs': (_gyre_registry_v1_Run__Output)[];
}
