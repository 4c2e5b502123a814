// Original file: proto/monitoring/monitoring.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { DriftReport as _gyre_monitoring_v1_DriftReport, DriftReport__Output as _gyre_monitoring_v1_DriftReport__Output } from '../../../gyre/monitoring/v1/DriftReport.ts';
import type { GetDriftReportRequest as _gyre_monitoring_v1_GetDriftReportRequest, GetDriftReportRequest__Output as _gyre_monitoring_v1_GetDriftReportRequest__Output } from '../../../gyre/monitoring/v1/GetDriftReportRequest.ts';
import type { GetPrequentialMetricsRequest as _gyre_monitoring_v1_GetPrequentialMetricsRequest, GetPrequentialMetricsRequest__Output as _gyre_monitoring_v1_GetPrequentialMetricsRequest__Output } from '../../../gyre/monitoring/v1/GetPrequentialMetricsRequest.ts';
import type { GetPrequentialMetricsResponse as _gyre_monitoring_v1_GetPrequentialMetricsResponse, GetPrequentialMetricsResponse__Output as _gyre_monitoring_v1_GetPrequentialMetricsResponse__Output } from '../../../gyre/monitoring/v1/GetPrequentialMetricsResponse.ts';
import type { GetReferenceStatisticsRequest as _gyre_monitoring_v1_GetReferenceStatisticsRequest, GetReferenceStatisticsRequest__Output as _gyre_monitoring_v1_GetReferenceStatisticsRequest__Output } from '../../../gyre/monitoring/v1/GetReferenceStatisticsRequest.ts';
import type { GetServedAccuracyRequest as _gyre_monitoring_v1_GetServedAccuracyRequest, GetServedAccuracyRequest__Output as _gyre_monitoring_v1_GetServedAccuracyRequest__Output } from '../../../gyre/monitoring/v1/GetServedAccuracyRequest.ts';
import type { GetServedAccuracyResponse as _gyre_monitoring_v1_GetServedAccuracyResponse, GetServedAccuracyResponse__Output as _gyre_monitoring_v1_GetServedAccuracyResponse__Output } from '../../../gyre/monitoring/v1/GetServedAccuracyResponse.ts';
import type { ListDriftEventsRequest as _gyre_monitoring_v1_ListDriftEventsRequest, ListDriftEventsRequest__Output as _gyre_monitoring_v1_ListDriftEventsRequest__Output } from '../../../gyre/monitoring/v1/ListDriftEventsRequest.ts';
import type { ListDriftEventsResponse as _gyre_monitoring_v1_ListDriftEventsResponse, ListDriftEventsResponse__Output as _gyre_monitoring_v1_ListDriftEventsResponse__Output } from '../../../gyre/monitoring/v1/ListDriftEventsResponse.ts';
import type { ListRetrainsRequest as _gyre_monitoring_v1_ListRetrainsRequest, ListRetrainsRequest__Output as _gyre_monitoring_v1_ListRetrainsRequest__Output } from '../../../gyre/monitoring/v1/ListRetrainsRequest.ts';
import type { ListRetrainsResponse as _gyre_monitoring_v1_ListRetrainsResponse, ListRetrainsResponse__Output as _gyre_monitoring_v1_ListRetrainsResponse__Output } from '../../../gyre/monitoring/v1/ListRetrainsResponse.ts';
import type { ReferenceStatistics as _gyre_monitoring_v1_ReferenceStatistics, ReferenceStatistics__Output as _gyre_monitoring_v1_ReferenceStatistics__Output } from '../../../gyre/monitoring/v1/ReferenceStatistics.ts';

export interface MonitoringClient extends grpc.Client {
  GetDriftReport(argument: _gyre_monitoring_v1_GetDriftReportRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_monitoring_v1_DriftReport__Output>): grpc.ClientUnaryCall;
  GetDriftReport(argument: _gyre_monitoring_v1_GetDriftReportRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_monitoring_v1_DriftReport__Output>): grpc.ClientUnaryCall;
  GetDriftReport(argument: _gyre_monitoring_v1_GetDriftReportRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_monitoring_v1_DriftReport__Output>): grpc.ClientUnaryCall;
  GetDriftReport(argument: _gyre_monitoring_v1_GetDriftReportRequest, callback: grpc.requestCallback<_gyre_monitoring_v1_DriftReport__Output>): grpc.ClientUnaryCall;
  getDriftReport(argument: _gyre_monitoring_v1_GetDriftReportRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_monitoring_v1_DriftReport__Output>): grpc.ClientUnaryCall;
  getDriftReport(argument: _gyre_monitoring_v1_GetDriftReportRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_monitoring_v1_DriftReport__Output>): grpc.ClientUnaryCall;
  getDriftReport(argument: _gyre_monitoring_v1_GetDriftReportRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_monitoring_v1_DriftReport__Output>): grpc.ClientUnaryCall;
  getDriftReport(argument: _gyre_monitoring_v1_GetDriftReportRequest, callback: grpc.requestCallback<_gyre_monitoring_v1_DriftReport__Output>): grpc.ClientUnaryCall;
  
  GetPrequentialMetrics(argument: _gyre_monitoring_v1_GetPrequentialMetricsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_monitoring_v1_GetPrequentialMetricsResponse__Output>): grpc.ClientUnaryCall;
  GetPrequentialMetrics(argument: _gyre_monitoring_v1_GetPrequentialMetricsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_monitoring_v1_GetPrequentialMetricsResponse__Output>): grpc.ClientUnaryCall;
  GetPrequentialMetrics(argument: _gyre_monitoring_v1_GetPrequentialMetricsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_monitoring_v1_GetPrequentialMetricsResponse__Output>): grpc.ClientUnaryCall;
  GetPrequentialMetrics(argument: _gyre_monitoring_v1_GetPrequentialMetricsRequest, callback: grpc.requestCallback<_gyre_monitoring_v1_GetPrequentialMetricsResponse__Output>): grpc.ClientUnaryCall;
  getPrequentialMetrics(argument: _gyre_monitoring_v1_GetPrequentialMetricsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_monitoring_v1_GetPrequentialMetricsResponse__Output>): grpc.ClientUnaryCall;
  getPrequentialMetrics(argument: _gyre_monitoring_v1_GetPrequentialMetricsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_monitoring_v1_GetPrequentialMetricsResponse__Output>): grpc.ClientUnaryCall;
  getPrequentialMetrics(argument: _gyre_monitoring_v1_GetPrequentialMetricsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_monitoring_v1_GetPrequentialMetricsResponse__Output>): grpc.ClientUnaryCall;
  getPrequentialMetrics(argument: _gyre_monitoring_v1_GetPrequentialMetricsRequest, callback: grpc.requestCallback<_gyre_monitoring_v1_GetPrequentialMetricsResponse__Output>): grpc.ClientUnaryCall;
  
  GetReferenceStatistics(argument: _gyre_monitoring_v1_GetReferenceStatisticsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_monitoring_v1_ReferenceStatistics__Output>): grpc.ClientUnaryCall;
  GetReferenceStatistics(argument: _gyre_monitoring_v1_GetReferenceStatisticsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_monitoring_v1_ReferenceStatistics__Output>): grpc.ClientUnaryCall;
  GetReferenceStatistics(argument: _gyre_monitoring_v1_GetReferenceStatisticsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_monitoring_v1_ReferenceStatistics__Output>): grpc.ClientUnaryCall;
  GetReferenceStatistics(argument: _gyre_monitoring_v1_GetReferenceStatisticsRequest, callback: grpc.requestCallback<_gyre_monitoring_v1_ReferenceStatistics__Output>): grpc.ClientUnaryCall;
  getReferenceStatistics(argument: _gyre_monitoring_v1_GetReferenceStatisticsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_monitoring_v1_ReferenceStatistics__Output>): grpc.ClientUnaryCall;
  getReferenceStatistics(argument: _gyre_monitoring_v1_GetReferenceStatisticsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_monitoring_v1_ReferenceStatistics__Output>): grpc.ClientUnaryCall;
  getReferenceStatistics(argument: _gyre_monitoring_v1_GetReferenceStatisticsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_monitoring_v1_ReferenceStatistics__Output>): grpc.ClientUnaryCall;
  getReferenceStatistics(argument: _gyre_monitoring_v1_GetReferenceStatisticsRequest, callback: grpc.requestCallback<_gyre_monitoring_v1_ReferenceStatistics__Output>): grpc.ClientUnaryCall;
  
  GetServedAccuracy(argument: _gyre_monitoring_v1_GetServedAccuracyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_monitoring_v1_GetServedAccuracyResponse__Output>): grpc.ClientUnaryCall;
  GetServedAccuracy(argument: _gyre_monitoring_v1_GetServedAccuracyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_monitoring_v1_GetServedAccuracyResponse__Output>): grpc.ClientUnaryCall;
  GetServedAccuracy(argument: _gyre_monitoring_v1_GetServedAccuracyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_monitoring_v1_GetServedAccuracyResponse__Output>): grpc.ClientUnaryCall;
  GetServedAccuracy(argument: _gyre_monitoring_v1_GetServedAccuracyRequest, callback: grpc.requestCallback<_gyre_monitoring_v1_GetServedAccuracyResponse__Output>): grpc.ClientUnaryCall;
  getServedAccuracy(argument: _gyre_monitoring_v1_GetServedAccuracyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_monitoring_v1_GetServedAccuracyResponse__Output>): grpc.ClientUnaryCall;
  getServedAccuracy(argument: _gyre_monitoring_v1_GetServedAccuracyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_monitoring_v1_GetServedAccuracyResponse__Output>): grpc.ClientUnaryCall;
  getServedAccuracy(argument: _gyre_monitoring_v1_GetServedAccuracyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_monitoring_v1_GetServedAccuracyResponse__Output>): grpc.ClientUnaryCall;
  getServedAccuracy(argument: _gyre_monitoring_v1_GetServedAccuracyRequest, callback: grpc.requestCallback<_gyre_monitoring_v1_GetServedAccuracyResponse__Output>): grpc.ClientUnaryCall;
  
  ListDriftEvents(argument: _gyre_monitoring_v1_ListDriftEventsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_monitoring_v1_ListDriftEventsResponse__Output>): grpc.ClientUnaryCall;
  ListDriftEvents(argument: _gyre_monitoring_v1_ListDriftEventsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_monitoring_v1_ListDriftEventsResponse__Output>): grpc.ClientUnaryCall;
  ListDriftEvents(argument: _gyre_monitoring_v1_ListDriftEventsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_monitoring_v1_ListDriftEventsResponse__Output>): grpc.ClientUnaryCall;
  ListDriftEvents(argument: _gyre_monitoring_v1_ListDriftEventsRequest, callback: grpc.requestCallback<_gyre_monitoring_v1_ListDriftEventsResponse__Output>): grpc.ClientUnaryCall;
  listDriftEvents(argument: _gyre_monitoring_v1_ListDriftEventsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_monitoring_v1_ListDriftEventsResponse__Output>): grpc.ClientUnaryCall;
  listDriftEvents(argument: _gyre_monitoring_v1_ListDriftEventsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_monitoring_v1_ListDriftEventsResponse__Output>): grpc.ClientUnaryCall;
  listDriftEvents(argument: _gyre_monitoring_v1_ListDriftEventsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_monitoring_v1_ListDriftEventsResponse__Output>): grpc.ClientUnaryCall;
  listDriftEvents(argument: _gyre_monitoring_v1_ListDriftEventsRequest, callback: grpc.requestCallback<_gyre_monitoring_v1_ListDriftEventsResponse__Output>): grpc.ClientUnaryCall;
  
  ListRetrains(argument: _gyre_monitoring_v1_ListRetrainsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_monitoring_v1_ListRetrainsResponse__Output>): grpc.ClientUnaryCall;
  ListRetrains(argument: _gyre_monitoring_v1_ListRetrainsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_monitoring_v1_ListRetrainsResponse__Output>): grpc.ClientUnaryCall;
  ListRetrains(argument: _gyre_monitoring_v1_ListRetrainsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_monitoring_v1_ListRetrainsResponse__Output>): grpc.ClientUnaryCall;
  ListRetrains(argument: _gyre_monitoring_v1_ListRetrainsRequest, callback: grpc.requestCallback<_gyre_monitoring_v1_ListRetrainsResponse__Output>): grpc.ClientUnaryCall;
  listRetrains(argument: _gyre_monitoring_v1_ListRetrainsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_monitoring_v1_ListRetrainsResponse__Output>): grpc.ClientUnaryCall;
  listRetrains(argument: _gyre_monitoring_v1_ListRetrainsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_monitoring_v1_ListRetrainsResponse__Output>): grpc.ClientUnaryCall;
  listRetrains(argument: _gyre_monitoring_v1_ListRetrainsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_monitoring_v1_ListRetrainsResponse__Output>): grpc.ClientUnaryCall;
  listRetrains(argument: _gyre_monitoring_v1_ListRetrainsRequest, callback: grpc.requestCallback<_gyre_monitoring_v1_ListRetrainsResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface MonitoringHandlers extends grpc.UntypedServiceImplementation {
  GetDriftReport: grpc.handleUnaryCall<_gyre_monitoring_v1_GetDriftReportRequest__Output, _gyre_monitoring_v1_DriftReport>;
  
  GetPrequentialMetrics: grpc.handleUnaryCall<_gyre_monitoring_v1_GetPrequentialMetricsRequest__Output, _gyre_monitoring_v1_GetPrequentialMetricsResponse>;
  
  GetReferenceStatistics: grpc.handleUnaryCall<_gyre_monitoring_v1_GetReferenceStatisticsRequest__Output, _gyre_monitoring_v1_ReferenceStatistics>;
  
  GetServedAccuracy: grpc.handleUnaryCall<_gyre_monitoring_v1_GetServedAccuracyRequest__Output, _gyre_monitoring_v1_GetServedAccuracyResponse>;
  
  ListDriftEvents: grpc.handleUnaryCall<_gyre_monitoring_v1_ListDriftEventsRequest__Output, _gyre_monitoring_v1_ListDriftEventsResponse>;
  
  ListRetrains: grpc.handleUnaryCall<_gyre_monitoring_v1_ListRetrainsRequest__Output, _gyre_monitoring_v1_ListRetrainsResponse>;
  
}

export interface MonitoringDefinition extends grpc.ServiceDefinition {
  GetDriftReport: MethodDefinition<_gyre_monitoring_v1_GetDriftReportRequest, _gyre_monitoring_v1_DriftReport, _gyre_monitoring_v1_GetDriftReportRequest__Output, _gyre_monitoring_v1_DriftReport__Output>
  GetPrequentialMetrics: MethodDefinition<_gyre_monitoring_v1_GetPrequentialMetricsRequest, _gyre_monitoring_v1_GetPrequentialMetricsResponse, _gyre_monitoring_v1_GetPrequentialMetricsRequest__Output, _gyre_monitoring_v1_GetPrequentialMetricsResponse__Output>
  GetReferenceStatistics: MethodDefinition<_gyre_monitoring_v1_GetReferenceStatisticsRequest, _gyre_monitoring_v1_ReferenceStatistics, _gyre_monitoring_v1_GetReferenceStatisticsRequest__Output, _gyre_monitoring_v1_ReferenceStatistics__Output>
  GetServedAccuracy: MethodDefinition<_gyre_monitoring_v1_GetServedAccuracyRequest, _gyre_monitoring_v1_GetServedAccuracyResponse, _gyre_monitoring_v1_GetServedAccuracyRequest__Output, _gyre_monitoring_v1_GetServedAccuracyResponse__Output>
  ListDriftEvents: MethodDefinition<_gyre_monitoring_v1_ListDriftEventsRequest, _gyre_monitoring_v1_ListDriftEventsResponse, _gyre_monitoring_v1_ListDriftEventsRequest__Output, _gyre_monitoring_v1_ListDriftEventsResponse__Output>
  ListRetrains: MethodDefinition<_gyre_monitoring_v1_ListRetrainsRequest, _gyre_monitoring_v1_ListRetrainsResponse, _gyre_monitoring_v1_ListRetrainsRequest__Output, _gyre_monitoring_v1_ListRetrainsResponse__Output>
}
