import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { AuditEntry as _gyre_registry_v1_AuditEntry, AuditEntry__Output as _gyre_registry_v1_AuditEntry__Output } from './gyre/registry/v1/AuditEntry.ts';
import type { BatchRef as _gyre_registry_v1_BatchRef, BatchRef__Output as _gyre_registry_v1_BatchRef__Output } from './gyre/registry/v1/BatchRef.ts';
import type { ChampionChange as _gyre_registry_v1_ChampionChange, ChampionChange__Output as _gyre_registry_v1_ChampionChange__Output } from './gyre/registry/v1/ChampionChange.ts';
import type { CompareRunsRequest as _gyre_registry_v1_CompareRunsRequest, CompareRunsRequest__Output as _gyre_registry_v1_CompareRunsRequest__Output } from './gyre/registry/v1/CompareRunsRequest.ts';
import type { CompareRunsResponse as _gyre_registry_v1_CompareRunsResponse, CompareRunsResponse__Output as _gyre_registry_v1_CompareRunsResponse__Output } from './gyre/registry/v1/CompareRunsResponse.ts';
import type { ExternalOrigin as _gyre_registry_v1_ExternalOrigin, ExternalOrigin__Output as _gyre_registry_v1_ExternalOrigin__Output } from './gyre/registry/v1/ExternalOrigin.ts';
import type { GetChampionRequest as _gyre_registry_v1_GetChampionRequest, GetChampionRequest__Output as _gyre_registry_v1_GetChampionRequest__Output } from './gyre/registry/v1/GetChampionRequest.ts';
import type { GetChampionResponse as _gyre_registry_v1_GetChampionResponse, GetChampionResponse__Output as _gyre_registry_v1_GetChampionResponse__Output } from './gyre/registry/v1/GetChampionResponse.ts';
import type { GetLineageRequest as _gyre_registry_v1_GetLineageRequest, GetLineageRequest__Output as _gyre_registry_v1_GetLineageRequest__Output } from './gyre/registry/v1/GetLineageRequest.ts';
import type { GetModelRequest as _gyre_registry_v1_GetModelRequest, GetModelRequest__Output as _gyre_registry_v1_GetModelRequest__Output } from './gyre/registry/v1/GetModelRequest.ts';
import type { GetModelResponse as _gyre_registry_v1_GetModelResponse, GetModelResponse__Output as _gyre_registry_v1_GetModelResponse__Output } from './gyre/registry/v1/GetModelResponse.ts';
import type { GetRunRequest as _gyre_registry_v1_GetRunRequest, GetRunRequest__Output as _gyre_registry_v1_GetRunRequest__Output } from './gyre/registry/v1/GetRunRequest.ts';
import type { Lineage as _gyre_registry_v1_Lineage, Lineage__Output as _gyre_registry_v1_Lineage__Output } from './gyre/registry/v1/Lineage.ts';
import type { ListModelsRequest as _gyre_registry_v1_ListModelsRequest, ListModelsRequest__Output as _gyre_registry_v1_ListModelsRequest__Output } from './gyre/registry/v1/ListModelsRequest.ts';
import type { ListModelsResponse as _gyre_registry_v1_ListModelsResponse, ListModelsResponse__Output as _gyre_registry_v1_ListModelsResponse__Output } from './gyre/registry/v1/ListModelsResponse.ts';
import type { ListRunsRequest as _gyre_registry_v1_ListRunsRequest, ListRunsRequest__Output as _gyre_registry_v1_ListRunsRequest__Output } from './gyre/registry/v1/ListRunsRequest.ts';
import type { ListRunsResponse as _gyre_registry_v1_ListRunsResponse, ListRunsResponse__Output as _gyre_registry_v1_ListRunsResponse__Output } from './gyre/registry/v1/ListRunsResponse.ts';
import type { MetricDifference as _gyre_registry_v1_MetricDifference, MetricDifference__Output as _gyre_registry_v1_MetricDifference__Output } from './gyre/registry/v1/MetricDifference.ts';
import type { ModelRegistryClient as _gyre_registry_v1_ModelRegistryClient, ModelRegistryDefinition as _gyre_registry_v1_ModelRegistryDefinition } from './gyre/registry/v1/ModelRegistry.ts';
import type { ModelSummary as _gyre_registry_v1_ModelSummary, ModelSummary__Output as _gyre_registry_v1_ModelSummary__Output } from './gyre/registry/v1/ModelSummary.ts';
import type { ModelVersion as _gyre_registry_v1_ModelVersion, ModelVersion__Output as _gyre_registry_v1_ModelVersion__Output } from './gyre/registry/v1/ModelVersion.ts';
import type { ParamDifference as _gyre_registry_v1_ParamDifference, ParamDifference__Output as _gyre_registry_v1_ParamDifference__Output } from './gyre/registry/v1/ParamDifference.ts';
import type { PromoteRequest as _gyre_registry_v1_PromoteRequest, PromoteRequest__Output as _gyre_registry_v1_PromoteRequest__Output } from './gyre/registry/v1/PromoteRequest.ts';
import type { RegisterExternalModelRequest as _gyre_registry_v1_RegisterExternalModelRequest, RegisterExternalModelRequest__Output as _gyre_registry_v1_RegisterExternalModelRequest__Output } from './gyre/registry/v1/RegisterExternalModelRequest.ts';
import type { RegisterExternalModelResponse as _gyre_registry_v1_RegisterExternalModelResponse, RegisterExternalModelResponse__Output as _gyre_registry_v1_RegisterExternalModelResponse__Output } from './gyre/registry/v1/RegisterExternalModelResponse.ts';
import type { RollbackRequest as _gyre_registry_v1_RollbackRequest, RollbackRequest__Output as _gyre_registry_v1_RollbackRequest__Output } from './gyre/registry/v1/RollbackRequest.ts';
import type { Run as _gyre_registry_v1_Run, Run__Output as _gyre_registry_v1_Run__Output } from './gyre/registry/v1/Run.ts';
import type { Trigger as _gyre_registry_v1_Trigger, Trigger__Output as _gyre_registry_v1_Trigger__Output } from './gyre/registry/v1/Trigger.ts';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  gyre: {
    registry: {
      v1: {
        AuditEntry: MessageTypeDefinition<_gyre_registry_v1_AuditEntry, _gyre_registry_v1_AuditEntry__Output>
        BatchRef: MessageTypeDefinition<_gyre_registry_v1_BatchRef, _gyre_registry_v1_BatchRef__Output>
        ChampionChange: MessageTypeDefinition<_gyre_registry_v1_ChampionChange, _gyre_registry_v1_ChampionChange__Output>
        CompareRunsRequest: MessageTypeDefinition<_gyre_registry_v1_CompareRunsRequest, _gyre_registry_v1_CompareRunsRequest__Output>
        CompareRunsResponse: MessageTypeDefinition<_gyre_registry_v1_CompareRunsResponse, _gyre_registry_v1_CompareRunsResponse__Output>
        ExternalOrigin: MessageTypeDefinition<_gyre_registry_v1_ExternalOrigin, _gyre_registry_v1_ExternalOrigin__Output>
        GetChampionRequest: MessageTypeDefinition<_gyre_registry_v1_GetChampionRequest, _gyre_registry_v1_GetChampionRequest__Output>
        GetChampionResponse: MessageTypeDefinition<_gyre_registry_v1_GetChampionResponse, _gyre_registry_v1_GetChampionResponse__Output>
        GetLineageRequest: MessageTypeDefinition<_gyre_registry_v1_GetLineageRequest, _gyre_registry_v1_GetLineageRequest__Output>
        GetModelRequest: MessageTypeDefinition<_gyre_registry_v1_GetModelRequest, _gyre_registry_v1_GetModelRequest__Output>
        GetModelResponse: MessageTypeDefinition<_gyre_registry_v1_GetModelResponse, _gyre_registry_v1_GetModelResponse__Output>
        GetRunRequest: MessageTypeDefinition<_gyre_registry_v1_GetRunRequest, _gyre_registry_v1_GetRunRequest__Output>
        Lineage: MessageTypeDefinition<_gyre_registry_v1_Lineage, _gyre_registry_v1_Lineage__Output>
        ListModelsRequest: MessageTypeDefinition<_gyre_registry_v1_ListModelsRequest, _gyre_registry_v1_ListModelsRequest__Output>
        ListModelsResponse: MessageTypeDefinition<_gyre_registry_v1_ListModelsResponse, _gyre_registry_v1_ListModelsResponse__Output>
        ListRunsRequest: MessageTypeDefinition<_gyre_registry_v1_ListRunsRequest, _gyre_registry_v1_ListRunsRequest__Output>
        ListRunsResponse: MessageTypeDefinition<_gyre_registry_v1_ListRunsResponse, _gyre_registry_v1_ListRunsResponse__Output>
        MetricDifference: MessageTypeDefinition<_gyre_registry_v1_MetricDifference, _gyre_registry_v1_MetricDifference__Output>
        ModelRegistry: SubtypeConstructor<typeof grpc.Client, _gyre_registry_v1_ModelRegistryClient> & { service: _gyre_registry_v1_ModelRegistryDefinition }
        ModelSummary: MessageTypeDefinition<_gyre_registry_v1_ModelSummary, _gyre_registry_v1_ModelSummary__Output>
        ModelVersion: MessageTypeDefinition<_gyre_registry_v1_ModelVersion, _gyre_registry_v1_ModelVersion__Output>
        ParamDifference: MessageTypeDefinition<_gyre_registry_v1_ParamDifference, _gyre_registry_v1_ParamDifference__Output>
        PromoteRequest: MessageTypeDefinition<_gyre_registry_v1_PromoteRequest, _gyre_registry_v1_PromoteRequest__Output>
        RegisterExternalModelRequest: MessageTypeDefinition<_gyre_registry_v1_RegisterExternalModelRequest, _gyre_registry_v1_RegisterExternalModelRequest__Output>
        RegisterExternalModelResponse: MessageTypeDefinition<_gyre_registry_v1_RegisterExternalModelResponse, _gyre_registry_v1_RegisterExternalModelResponse__Output>
        RollbackRequest: MessageTypeDefinition<_gyre_registry_v1_RollbackRequest, _gyre_registry_v1_RollbackRequest__Output>
        Run: MessageTypeDefinition<_gyre_registry_v1_Run, _gyre_registry_v1_Run__Output>
        Trigger: MessageTypeDefinition<_gyre_registry_v1_Trigger, _gyre_registry_v1_Trigger__Output>
      }
    }
  }
}

