// Names for the generated model registry types that the registry and its clients (serving, the CLI) use.
// `__Output` types are what a receiver gets (every field present, int64 as string); plain types are what it may send.

export type { AuditEntry, AuditEntry__Output } from "./generated/gyre/registry/v1/AuditEntry.ts";
export type {
  BatchRef as LineageBatchRef,
  BatchRef__Output as LineageBatchRef__Output,
} from "./generated/gyre/registry/v1/BatchRef.ts";
export type { ChampionChange, ChampionChange__Output } from "./generated/gyre/registry/v1/ChampionChange.ts";
export type {
  CompareRunsRequest,
  CompareRunsRequest__Output,
} from "./generated/gyre/registry/v1/CompareRunsRequest.ts";
export type {
  CompareRunsResponse,
  CompareRunsResponse__Output,
} from "./generated/gyre/registry/v1/CompareRunsResponse.ts";
export type { ExternalOrigin, ExternalOrigin__Output } from "./generated/gyre/registry/v1/ExternalOrigin.ts";
export type {
  GetChampionRequest,
  GetChampionRequest__Output,
} from "./generated/gyre/registry/v1/GetChampionRequest.ts";
export type {
  GetChampionResponse,
  GetChampionResponse__Output,
} from "./generated/gyre/registry/v1/GetChampionResponse.ts";
export type { GetLineageRequest, GetLineageRequest__Output } from "./generated/gyre/registry/v1/GetLineageRequest.ts";
export type { GetModelRequest, GetModelRequest__Output } from "./generated/gyre/registry/v1/GetModelRequest.ts";
export type { GetModelResponse, GetModelResponse__Output } from "./generated/gyre/registry/v1/GetModelResponse.ts";
export type { GetRunRequest, GetRunRequest__Output } from "./generated/gyre/registry/v1/GetRunRequest.ts";
export type { Lineage, Lineage__Output } from "./generated/gyre/registry/v1/Lineage.ts";
export type { ListModelsRequest, ListModelsRequest__Output } from "./generated/gyre/registry/v1/ListModelsRequest.ts";
export type {
  ListModelsResponse,
  ListModelsResponse__Output,
} from "./generated/gyre/registry/v1/ListModelsResponse.ts";
export type { ListRunsRequest, ListRunsRequest__Output } from "./generated/gyre/registry/v1/ListRunsRequest.ts";
export type { ListRunsResponse, ListRunsResponse__Output } from "./generated/gyre/registry/v1/ListRunsResponse.ts";
export type { MetricDifference, MetricDifference__Output } from "./generated/gyre/registry/v1/MetricDifference.ts";
export type { ModelRegistryClient, ModelRegistryHandlers } from "./generated/gyre/registry/v1/ModelRegistry.ts";
export type { ModelSummary, ModelSummary__Output } from "./generated/gyre/registry/v1/ModelSummary.ts";
export type { ModelVersion, ModelVersion__Output } from "./generated/gyre/registry/v1/ModelVersion.ts";
export type { ParamDifference, ParamDifference__Output } from "./generated/gyre/registry/v1/ParamDifference.ts";
export type { PromoteRequest, PromoteRequest__Output } from "./generated/gyre/registry/v1/PromoteRequest.ts";
export type {
  RegisterExternalModelRequest,
  RegisterExternalModelRequest__Output,
} from "./generated/gyre/registry/v1/RegisterExternalModelRequest.ts";
export type {
  RegisterExternalModelResponse,
  RegisterExternalModelResponse__Output,
} from "./generated/gyre/registry/v1/RegisterExternalModelResponse.ts";
export type { RollbackRequest, RollbackRequest__Output } from "./generated/gyre/registry/v1/RollbackRequest.ts";
export type { Run, Run__Output } from "./generated/gyre/registry/v1/Run.ts";
export type {
  Trigger as RunTrigger,
  Trigger__Output as RunTrigger__Output,
} from "./generated/gyre/registry/v1/Trigger.ts";
export type { ProtoGrpcType as RegistryProto } from "./generated/registry.ts";
