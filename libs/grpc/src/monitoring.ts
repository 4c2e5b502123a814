// Names for the generated monitoring types that the monitoring service and its clients (the CLI, e2e tests) use.
// `__Output` types are what a receiver gets (every field present, int64 as string); plain types are what it may send.

export type { DriftEvent, DriftEvent__Output } from "./generated/gyre/monitoring/v1/DriftEvent.ts";
export type { DriftReport, DriftReport__Output } from "./generated/gyre/monitoring/v1/DriftReport.ts";
export type {
  FeatureDrift as FeatureDriftCheck,
  FeatureDrift__Output as FeatureDriftCheck__Output,
} from "./generated/gyre/monitoring/v1/FeatureDrift.ts";
export type {
  GetDriftReportRequest,
  GetDriftReportRequest__Output,
} from "./generated/gyre/monitoring/v1/GetDriftReportRequest.ts";
export type {
  GetPrequentialMetricsRequest,
  GetPrequentialMetricsRequest__Output,
} from "./generated/gyre/monitoring/v1/GetPrequentialMetricsRequest.ts";
export type {
  GetPrequentialMetricsResponse,
  GetPrequentialMetricsResponse__Output,
} from "./generated/gyre/monitoring/v1/GetPrequentialMetricsResponse.ts";
export type {
  GetServedAccuracyRequest,
  GetServedAccuracyRequest__Output,
} from "./generated/gyre/monitoring/v1/GetServedAccuracyRequest.ts";
export type {
  GetServedAccuracyResponse,
  GetServedAccuracyResponse__Output,
} from "./generated/gyre/monitoring/v1/GetServedAccuracyResponse.ts";
export type { LabelCounts, LabelCounts__Output } from "./generated/gyre/monitoring/v1/LabelCounts.ts";
export type {
  ListDriftEventsRequest,
  ListDriftEventsRequest__Output,
} from "./generated/gyre/monitoring/v1/ListDriftEventsRequest.ts";
export type {
  ListDriftEventsResponse,
  ListDriftEventsResponse__Output,
} from "./generated/gyre/monitoring/v1/ListDriftEventsResponse.ts";
export type {
  ListRetrainsRequest,
  ListRetrainsRequest__Output,
} from "./generated/gyre/monitoring/v1/ListRetrainsRequest.ts";
export type {
  ListRetrainsResponse,
  ListRetrainsResponse__Output,
} from "./generated/gyre/monitoring/v1/ListRetrainsResponse.ts";
export type { MonitoringClient, MonitoringHandlers } from "./generated/gyre/monitoring/v1/Monitoring.ts";
export type { PrequentialPoint, PrequentialPoint__Output } from "./generated/gyre/monitoring/v1/PrequentialPoint.ts";
export type { Retrain, Retrain__Output } from "./generated/gyre/monitoring/v1/Retrain.ts";
export type { ServedAccuracy, ServedAccuracy__Output } from "./generated/gyre/monitoring/v1/ServedAccuracy.ts";
export type { UnscoredBatch, UnscoredBatch__Output } from "./generated/gyre/monitoring/v1/UnscoredBatch.ts";
export type { ProtoGrpcType as MonitoringProto } from "./generated/monitoring.ts";
