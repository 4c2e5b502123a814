// Original file: proto/registry/registry.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ChampionChange as _gyre_registry_v1_ChampionChange, ChampionChange__Output as _gyre_registry_v1_ChampionChange__Output } from '../../../gyre/registry/v1/ChampionChange.ts';
import type { CompareRunsRequest as _gyre_registry_v1_CompareRunsRequest, CompareRunsRequest__Output as _gyre_registry_v1_CompareRunsRequest__Output } from '../../../gyre/registry/v1/CompareRunsRequest.ts';
import type { CompareRunsResponse as _gyre_registry_v1_CompareRunsResponse, CompareRunsResponse__Output as _gyre_registry_v1_CompareRunsResponse__Output } from '../../../gyre/registry/v1/CompareRunsResponse.ts';
import type { GetChampionRequest as _gyre_registry_v1_GetChampionRequest, GetChampionRequest__Output as _gyre_registry_v1_GetChampionRequest__Output } from '../../../gyre/registry/v1/GetChampionRequest.ts';
import type { GetChampionResponse as _gyre_registry_v1_GetChampionResponse, GetChampionResponse__Output as _gyre_registry_v1_GetChampionResponse__Output } from '../../../gyre/registry/v1/GetChampionResponse.ts';
import type { GetLineageRequest as _gyre_registry_v1_GetLineageRequest, GetLineageRequest__Output as _gyre_registry_v1_GetLineageRequest__Output } from '../../../gyre/registry/v1/GetLineageRequest.ts';
import type { GetModelRequest as _gyre_registry_v1_GetModelRequest, GetModelRequest__Output as _gyre_registry_v1_GetModelRequest__Output } from '../../../gyre/registry/v1/GetModelRequest.ts';
import type { GetModelResponse as _gyre_registry_v1_GetModelResponse, GetModelResponse__Output as _gyre_registry_v1_GetModelResponse__Output } from '../../../gyre/registry/v1/GetModelResponse.ts';
import type { GetRunRequest as _gyre_registry_v1_GetRunRequest, GetRunRequest__Output as _gyre_registry_v1_GetRunRequest__Output } from '../../../gyre/registry/v1/GetRunRequest.ts';
import type { Lineage as _gyre_registry_v1_Lineage, Lineage__Output as _gyre_registry_v1_Lineage__Output } from '../../../gyre/registry/v1/Lineage.ts';
import type { ListModelsRequest as _gyre_registry_v1_ListModelsRequest, ListModelsRequest__Output as _gyre_registry_v1_ListModelsRequest__Output } from '../../../gyre/registry/v1/ListModelsRequest.ts';
import type { ListModelsResponse as _gyre_registry_v1_ListModelsResponse, ListModelsResponse__Output as _gyre_registry_v1_ListModelsResponse__Output } from '../../../gyre/registry/v1/ListModelsResponse.ts';
import type { ListRunsRequest as _gyre_registry_v1_ListRunsRequest, ListRunsRequest__Output as _gyre_registry_v1_ListRunsRequest__Output } from '../../../gyre/registry/v1/ListRunsRequest.ts';
import type { ListRunsResponse as _gyre_registry_v1_ListRunsResponse, ListRunsResponse__Output as _gyre_registry_v1_ListRunsResponse__Output } from '../../../gyre/registry/v1/ListRunsResponse.ts';
import type { PromoteRequest as _gyre_registry_v1_PromoteRequest, PromoteRequest__Output as _gyre_registry_v1_PromoteRequest__Output } from '../../../gyre/registry/v1/PromoteRequest.ts';
import type { RegisterExternalModelRequest as _gyre_registry_v1_RegisterExternalModelRequest, RegisterExternalModelRequest__Output as _gyre_registry_v1_RegisterExternalModelRequest__Output } from '../../../gyre/registry/v1/RegisterExternalModelRequest.ts';
import type { RegisterExternalModelResponse as _gyre_registry_v1_RegisterExternalModelResponse, RegisterExternalModelResponse__Output as _gyre_registry_v1_RegisterExternalModelResponse__Output } from '../../../gyre/registry/v1/RegisterExternalModelResponse.ts';
import type { RollbackRequest as _gyre_registry_v1_RollbackRequest, RollbackRequest__Output as _gyre_registry_v1_RollbackRequest__Output } from '../../../gyre/registry/v1/RollbackRequest.ts';
import type { Run as _gyre_registry_v1_Run, Run__Output as _gyre_registry_v1_Run__Output } from '../../../gyre/registry/v1/Run.ts';

export interface ModelRegistryClient extends grpc.Client {
  CompareRuns(argument: _gyre_registry_v1_CompareRunsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_CompareRunsResponse__Output>): grpc.ClientUnaryCall;
  CompareRuns(argument: _gyre_registry_v1_CompareRunsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_registry_v1_CompareRunsResponse__Output>): grpc.ClientUnaryCall;
  CompareRuns(argument: _gyre_registry_v1_CompareRunsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_CompareRunsResponse__Output>): grpc.ClientUnaryCall;
  CompareRuns(argument: _gyre_registry_v1_CompareRunsRequest, callback: grpc.requestCallback<_gyre_registry_v1_CompareRunsResponse__Output>): grpc.ClientUnaryCall;
  compareRuns(argument: _gyre_registry_v1_CompareRunsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_CompareRunsResponse__Output>): grpc.ClientUnaryCall;
  compareRuns(argument: _gyre_registry_v1_CompareRunsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_registry_v1_CompareRunsResponse__Output>): grpc.ClientUnaryCall;
  compareRuns(argument: _gyre_registry_v1_CompareRunsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_CompareRunsResponse__Output>): grpc.ClientUnaryCall;
  compareRuns(argument: _gyre_registry_v1_CompareRunsRequest, callback: grpc.requestCallback<_gyre_registry_v1_CompareRunsResponse__Output>): grpc.ClientUnaryCall;
  
  GetChampion(argument: _gyre_registry_v1_GetChampionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_GetChampionResponse__Output>): grpc.ClientUnaryCall;
  GetChampion(argument: _gyre_registry_v1_GetChampionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_registry_v1_GetChampionResponse__Output>): grpc.ClientUnaryCall;
  GetChampion(argument: _gyre_registry_v1_GetChampionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_GetChampionResponse__Output>): grpc.ClientUnaryCall;
  GetChampion(argument: _gyre_registry_v1_GetChampionRequest, callback: grpc.requestCallback<_gyre_registry_v1_GetChampionResponse__Output>): grpc.ClientUnaryCall;
  getChampion(argument: _gyre_registry_v1_GetChampionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_GetChampionResponse__Output>): grpc.ClientUnaryCall;
  getChampion(argument: _gyre_registry_v1_GetChampionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_registry_v1_GetChampionResponse__Output>): grpc.ClientUnaryCall;
  getChampion(argument: _gyre_registry_v1_GetChampionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_GetChampionResponse__Output>): grpc.ClientUnaryCall;
  getChampion(argument: _gyre_registry_v1_GetChampionRequest, callback: grpc.requestCallback<_gyre_registry_v1_GetChampionResponse__Output>): grpc.ClientUnaryCall;
  
  GetLineage(argument: _gyre_registry_v1_GetLineageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_Lineage__Output>): grpc.ClientUnaryCall;
  GetLineage(argument: _gyre_registry_v1_GetLineageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_registry_v1_Lineage__Output>): grpc.ClientUnaryCall;
  GetLineage(argument: _gyre_registry_v1_GetLineageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_Lineage__Output>): grpc.ClientUnaryCall;
  GetLineage(argument: _gyre_registry_v1_GetLineageRequest, callback: grpc.requestCallback<_gyre_registry_v1_Lineage__Output>): grpc.ClientUnaryCall;
  getLineage(argument: _gyre_registry_v1_GetLineageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_Lineage__Output>): grpc.ClientUnaryCall;
  getLineage(argument: _gyre_registry_v1_GetLineageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_registry_v1_Lineage__Output>): grpc.ClientUnaryCall;
  getLineage(argument: _gyre_registry_v1_GetLineageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_Lineage__Output>): grpc.ClientUnaryCall;
  getLineage(argument: _gyre_registry_v1_GetLineageRequest, callback: grpc.requestCallback<_gyre_registry_v1_Lineage__Output>): grpc.ClientUnaryCall;
  
  GetModel(argument: _gyre_registry_v1_GetModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  GetModel(argument: _gyre_registry_v1_GetModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_registry_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  GetModel(argument: _gyre_registry_v1_GetModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  GetModel(argument: _gyre_registry_v1_GetModelRequest, callback: grpc.requestCallback<_gyre_registry_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  getModel(argument: _gyre_registry_v1_GetModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  getModel(argument: _gyre_registry_v1_GetModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_registry_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  getModel(argument: _gyre_registry_v1_GetModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  getModel(argument: _gyre_registry_v1_GetModelRequest, callback: grpc.requestCallback<_gyre_registry_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  
  GetRun(argument: _gyre_registry_v1_GetRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_Run__Output>): grpc.ClientUnaryCall;
  GetRun(argument: _gyre_registry_v1_GetRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_registry_v1_Run__Output>): grpc.ClientUnaryCall;
  GetRun(argument: _gyre_registry_v1_GetRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_Run__Output>): grpc.ClientUnaryCall;
  GetRun(argument: _gyre_registry_v1_GetRunRequest, callback: grpc.requestCallback<_gyre_registry_v1_Run__Output>): grpc.ClientUnaryCall;
  getRun(argument: _gyre_registry_v1_GetRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_Run__Output>): grpc.ClientUnaryCall;
  getRun(argument: _gyre_registry_v1_GetRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_registry_v1_Run__Output>): grpc.ClientUnaryCall;
  getRun(argument: _gyre_registry_v1_GetRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_Run__Output>): grpc.ClientUnaryCall;
  getRun(argument: _gyre_registry_v1_GetRunRequest, callback: grpc.requestCallback<_gyre_registry_v1_Run__Output>): grpc.ClientUnaryCall;
  
  ListModels(argument: _gyre_registry_v1_ListModelsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  ListModels(argument: _gyre_registry_v1_ListModelsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_registry_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  ListModels(argument: _gyre_registry_v1_ListModelsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  ListModels(argument: _gyre_registry_v1_ListModelsRequest, callback: grpc.requestCallback<_gyre_registry_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  listModels(argument: _gyre_registry_v1_ListModelsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  listModels(argument: _gyre_registry_v1_ListModelsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_registry_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  listModels(argument: _gyre_registry_v1_ListModelsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  listModels(argument: _gyre_registry_v1_ListModelsRequest, callback: grpc.requestCallback<_gyre_registry_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  
  ListRuns(argument: _gyre_registry_v1_ListRunsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_ListRunsResponse__Output>): grpc.ClientUnaryCall;
  ListRuns(argument: _gyre_registry_v1_ListRunsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_registry_v1_ListRunsResponse__Output>): grpc.ClientUnaryCall;
  ListRuns(argument: _gyre_registry_v1_ListRunsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_ListRunsResponse__Output>): grpc.ClientUnaryCall;
  ListRuns(argument: _gyre_registry_v1_ListRunsRequest, callback: grpc.requestCallback<_gyre_registry_v1_ListRunsResponse__Output>): grpc.ClientUnaryCall;
  listRuns(argument: _gyre_registry_v1_ListRunsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_ListRunsResponse__Output>): grpc.ClientUnaryCall;
  listRuns(argument: _gyre_registry_v1_ListRunsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_registry_v1_ListRunsResponse__Output>): grpc.ClientUnaryCall;
  listRuns(argument: _gyre_registry_v1_ListRunsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_ListRunsResponse__Output>): grpc.ClientUnaryCall;
  listRuns(argument: _gyre_registry_v1_ListRunsRequest, callback: grpc.requestCallback<_gyre_registry_v1_ListRunsResponse__Output>): grpc.ClientUnaryCall;
  
  Promote(argument: _gyre_registry_v1_PromoteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_ChampionChange__Output>): grpc.ClientUnaryCall;
  Promote(argument: _gyre_registry_v1_PromoteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_registry_v1_ChampionChange__Output>): grpc.ClientUnaryCall;
  Promote(argument: _gyre_registry_v1_PromoteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_ChampionChange__Output>): grpc.ClientUnaryCall;
  Promote(argument: _gyre_registry_v1_PromoteRequest, callback: grpc.requestCallback<_gyre_registry_v1_ChampionChange__Output>): grpc.ClientUnaryCall;
  promote(argument: _gyre_registry_v1_PromoteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_ChampionChange__Output>): grpc.ClientUnaryCall;
  promote(argument: _gyre_registry_v1_PromoteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_registry_v1_ChampionChange__Output>): grpc.ClientUnaryCall;
  promote(argument: _gyre_registry_v1_PromoteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_ChampionChange__Output>): grpc.ClientUnaryCall;
  promote(argument: _gyre_registry_v1_PromoteRequest, callback: grpc.requestCallback<_gyre_registry_v1_ChampionChange__Output>): grpc.ClientUnaryCall;
  
  RegisterExternalModel(argument: _gyre_registry_v1_RegisterExternalModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_RegisterExternalModelResponse__Output>): grpc.ClientUnaryCall;
  RegisterExternalModel(argument: _gyre_registry_v1_RegisterExternalModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_registry_v1_RegisterExternalModelResponse__Output>): grpc.ClientUnaryCall;
  RegisterExternalModel(argument: _gyre_registry_v1_RegisterExternalModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_RegisterExternalModelResponse__Output>): grpc.ClientUnaryCall;
  RegisterExternalModel(argument: _gyre_registry_v1_RegisterExternalModelRequest, callback: grpc.requestCallback<_gyre_registry_v1_RegisterExternalModelResponse__Output>): grpc.ClientUnaryCall;
  registerExternalModel(argument: _gyre_registry_v1_RegisterExternalModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_RegisterExternalModelResponse__Output>): grpc.ClientUnaryCall;
  registerExternalModel(argument: _gyre_registry_v1_RegisterExternalModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_registry_v1_RegisterExternalModelResponse__Output>): grpc.ClientUnaryCall;
  registerExternalModel(argument: _gyre_registry_v1_RegisterExternalModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_RegisterExternalModelResponse__Output>): grpc.ClientUnaryCall;
  registerExternalModel(argument: _gyre_registry_v1_RegisterExternalModelRequest, callback: grpc.requestCallback<_gyre_registry_v1_RegisterExternalModelResponse__Output>): grpc.ClientUnaryCall;
  
  Rollback(argument: _gyre_registry_v1_RollbackRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_ChampionChange__Output>): grpc.ClientUnaryCall;
  Rollback(argument: _gyre_registry_v1_RollbackRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_registry_v1_ChampionChange__Output>): grpc.ClientUnaryCall;
  Rollback(argument: _gyre_registry_v1_RollbackRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_ChampionChange__Output>): grpc.ClientUnaryCall;
  Rollback(argument: _gyre_registry_v1_RollbackRequest, callback: grpc.requestCallback<_gyre_registry_v1_ChampionChange__Output>): grpc.ClientUnaryCall;
  rollback(argument: _gyre_registry_v1_RollbackRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_ChampionChange__Output>): grpc.ClientUnaryCall;
  rollback(argument: _gyre_registry_v1_RollbackRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_registry_v1_ChampionChange__Output>): grpc.ClientUnaryCall;
  rollback(argument: _gyre_registry_v1_RollbackRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_registry_v1_ChampionChange__Output>): grpc.ClientUnaryCall;
  rollback(argument: _gyre_registry_v1_RollbackRequest, callback: grpc.requestCallback<_gyre_registry_v1_ChampionChange__Output>): grpc.ClientUnaryCall;
  
}

export interface ModelRegistryHandlers extends grpc.UntypedServiceImplementation {
  CompareRuns: grpc.handleUnaryCall<_gyre_registry_v1_CompareRunsRequest__Output, _gyre_registry_v1_CompareRunsResponse>;
  
  GetChampion: grpc.handleUnaryCall<_gyre_registry_v1_GetChampionRequest__Output, _gyre_registry_v1_GetChampionResponse>;
  
  GetLineage: grpc.handleUnaryCall<_gyre_registry_v1_GetLineageRequest__Output, _gyre_registry_v1_Lineage>;
  
  GetModel: grpc.handleUnaryCall<_gyre_registry_v1_GetModelRequest__Output, _gyre_registry_v1_GetModelResponse>;
  
  GetRun: grpc.handleUnaryCall<_gyre_registry_v1_GetRunRequest__Output, _gyre_registry_v1_Run>;
  
  ListModels: grpc.handleUnaryCall<_gyre_registry_v1_ListModelsRequest__Output, _gyre_registry_v1_ListModelsResponse>;
  
  ListRuns: grpc.handleUnaryCall<_gyre_registry_v1_ListRunsRequest__Output, _gyre_registry_v1_ListRunsResponse>;
  
  Promote: grpc.handleUnaryCall<_gyre_registry_v1_PromoteRequest__Output, _gyre_registry_v1_ChampionChange>;
  
  RegisterExternalModel: grpc.handleUnaryCall<_gyre_registry_v1_RegisterExternalModelRequest__Output, _gyre_registry_v1_RegisterExternalModelResponse>;
  
  Rollback: grpc.handleUnaryCall<_gyre_registry_v1_RollbackRequest__Output, _gyre_registry_v1_ChampionChange>;
  
}

export interface ModelRegistryDefinition extends grpc.ServiceDefinition {
  CompareRuns: MethodDefinition<_gyre_registry_v1_CompareRunsRequest, _gyre_registry_v1_CompareRunsResponse, _gyre_registry_v1_CompareRunsRequest__Output, _gyre_registry_v1_CompareRunsResponse__Output>
  GetChampion: MethodDefinition<_gyre_registry_v1_GetChampionRequest, _gyre_registry_v1_GetChampionResponse, _gyre_registry_v1_GetChampionRequest__Output, _gyre_registry_v1_GetChampionResponse__Output>
  GetLineage: MethodDefinition<_gyre_registry_v1_GetLineageRequest, _gyre_registry_v1_Lineage, _gyre_registry_v1_GetLineageRequest__Output, _gyre_registry_v1_Lineage__Output>
  GetModel: MethodDefinition<_gyre_registry_v1_GetModelRequest, _gyre_registry_v1_GetModelResponse, _gyre_registry_v1_GetModelRequest__Output, _gyre_registry_v1_GetModelResponse__Output>
  GetRun: MethodDefinition<_gyre_registry_v1_GetRunRequest, _gyre_registry_v1_Run, _gyre_registry_v1_GetRunRequest__Output, _gyre_registry_v1_Run__Output>
  ListModels: MethodDefinition<_gyre_registry_v1_ListModelsRequest, _gyre_registry_v1_ListModelsResponse, _gyre_registry_v1_ListModelsRequest__Output, _gyre_registry_v1_ListModelsResponse__Output>
  ListRuns: MethodDefinition<_gyre_registry_v1_ListRunsRequest, _gyre_registry_v1_ListRunsResponse, _gyre_registry_v1_ListRunsRequest__Output, _gyre_registry_v1_ListRunsResponse__Output>
  Promote: MethodDefinition<_gyre_registry_v1_PromoteRequest, _gyre_registry_v1_ChampionChange, _gyre_registry_v1_PromoteRequest__Output, _gyre_registry_v1_ChampionChange__Output>
  RegisterExternalModel: MethodDefinition<_gyre_registry_v1_RegisterExternalModelRequest, _gyre_registry_v1_RegisterExternalModelResponse, _gyre_registry_v1_RegisterExternalModelRequest__Output, _gyre_registry_v1_RegisterExternalModelResponse__Output>
  Rollback: MethodDefinition<_gyre_registry_v1_RollbackRequest, _gyre_registry_v1_ChampionChange, _gyre_registry_v1_RollbackRequest__Output, _gyre_registry_v1_ChampionChange__Output>
}
