import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { ColumnReference as _gyre_monitoring_v1_ColumnReference, ColumnReference__Output as _gyre_monitoring_v1_ColumnReference__Output } from './gyre/monitoring/v1/ColumnReference.ts';
import type { DriftEvent as _gyre_monitoring_v1_DriftEvent, DriftEvent__Output as _gyre_monitoring_v1_DriftEvent__Output } from './gyre/monitoring/v1/DriftEvent.ts';
import type { DriftReport as _gyre_monitoring_v1_DriftReport, DriftReport__Output as _gyre_monitoring_v1_DriftReport__Output } from './gyre/monitoring/v1/DriftReport.ts';
import type { FeatureDrift as _gyre_monitoring_v1_FeatureDrift, FeatureDrift__Output as _gyre_monitoring_v1_FeatureDrift__Output } from './gyre/monitoring/v1/FeatureDrift.ts';
import type { GetDriftReportRequest as _gyre_monitoring_v1_GetDriftReportRequest, GetDriftReportRequest__Output as _gyre_monitoring_v1_GetDriftReportRequest__Output } from './gyre/monitoring/v1/GetDriftReportRequest.ts';
import type { GetPrequentialMetricsRequest as _gyre_monitoring_v1_GetPrequentialMetricsRequest, GetPrequentialMetricsRequest__Output as _gyre_monitoring_v1_GetPrequentialMetricsRequest__Output } from './gyre/monitoring/v1/GetPrequentialMetricsRequest.ts';
import type { GetPrequentialMetricsResponse as _gyre_monitoring_v1_GetPrequentialMetricsResponse, GetPrequentialMetricsResponse__Output as _gyre_monitoring_v1_GetPrequentialMetricsResponse__Output } from './gyre/monitoring/v1/GetPrequentialMetricsResponse.ts';
import type { GetReferenceStatisticsRequest as _gyre_monitoring_v1_GetReferenceStatisticsRequest, GetReferenceStatisticsRequest__Output as _gyre_monitoring_v1_GetReferenceStatisticsRequest__Output } from './gyre/monitoring/v1/GetReferenceStatisticsRequest.ts';
import type { GetServedAccuracyRequest as _gyre_monitoring_v1_GetServedAccuracyRequest, GetServedAccuracyRequest__Output as _gyre_monitoring_v1_GetServedAccuracyRequest__Output } from './gyre/monitoring/v1/GetServedAccuracyRequest.ts';
import type { GetServedAccuracyResponse as _gyre_monitoring_v1_GetServedAccuracyResponse, GetServedAccuracyResponse__Output as _gyre_monitoring_v1_GetServedAccuracyResponse__Output } from './gyre/monitoring/v1/GetServedAccuracyResponse.ts';
import type { LabelCounts as _gyre_monitoring_v1_LabelCounts, LabelCounts__Output as _gyre_monitoring_v1_LabelCounts__Output } from './gyre/monitoring/v1/LabelCounts.ts';
import type { ListDriftEventsRequest as _gyre_monitoring_v1_ListDriftEventsRequest, ListDriftEventsRequest__Output as _gyre_monitoring_v1_ListDriftEventsRequest__Output } from './gyre/monitoring/v1/ListDriftEventsRequest.ts';
import type { ListDriftEventsResponse as _gyre_monitoring_v1_ListDriftEventsResponse, ListDriftEventsResponse__Output as _gyre_monitoring_v1_ListDriftEventsResponse__Output } from './gyre/monitoring/v1/ListDriftEventsResponse.ts';
import type { ListRetrainsRequest as _gyre_monitoring_v1_ListRetrainsRequest, ListRetrainsRequest__Output as _gyre_monitoring_v1_ListRetrainsRequest__Output } from './gyre/monitoring/v1/ListRetrainsRequest.ts';
import type { ListRetrainsResponse as _gyre_monitoring_v1_ListRetrainsResponse, ListRetrainsResponse__Output as _gyre_monitoring_v1_ListRetrainsResponse__Output } from './gyre/monitoring/v1/ListRetrainsResponse.ts';
import type { MonitoringClient as _gyre_monitoring_v1_MonitoringClient, MonitoringDefinition as _gyre_monitoring_v1_MonitoringDefinition } from './gyre/monitoring/v1/Monitoring.ts';
import type { PrequentialPoint as _gyre_monitoring_v1_PrequentialPoint, PrequentialPoint__Output as _gyre_monitoring_v1_PrequentialPoint__Output } from './gyre/monitoring/v1/PrequentialPoint.ts';
import type { ReferenceCategory as _gyre_monitoring_v1_ReferenceCategory, ReferenceCategory__Output as _gyre_monitoring_v1_ReferenceCategory__Output } from './gyre/monitoring/v1/ReferenceCategory.ts';
import type { ReferenceQuantile as _gyre_monitoring_v1_ReferenceQuantile, ReferenceQuantile__Output as _gyre_monitoring_v1_ReferenceQuantile__Output } from './gyre/monitoring/v1/ReferenceQuantile.ts';
import type { ReferenceStatistics as _gyre_monitoring_v1_ReferenceStatistics, ReferenceStatistics__Output as _gyre_monitoring_v1_ReferenceStatistics__Output } from './gyre/monitoring/v1/ReferenceStatistics.ts';
import type { Retrain as _gyre_monitoring_v1_Retrain, Retrain__Output as _gyre_monitoring_v1_Retrain__Output } from './gyre/monitoring/v1/Retrain.ts';
import type { ServedAccuracy as _gyre_monitoring_v1_ServedAccuracy, ServedAccuracy__Output as _gyre_monitoring_v1_ServedAccuracy__Output } from './gyre/monitoring/v1/ServedAccuracy.ts';
import type { UnscoredBatch as _gyre_monitoring_v1_UnscoredBatch, UnscoredBatch__Output as _gyre_monitoring_v1_UnscoredBatch__Output } from './gyre/monitoring/v1/UnscoredBatch.ts';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  gyre: {
    monitoring: {
      v1: {
        ColumnReference: MessageTypeDefinition<_gyre_monitoring_v1_ColumnReference, _gyre_monitoring_v1_ColumnReference__Output>
        DriftEvent: MessageTypeDefinition<_gyre_monitoring_v1_DriftEvent, _gyre_monitoring_v1_DriftEvent__Output>
        DriftReport: MessageTypeDefinition<_gyre_monitoring_v1_DriftReport, _gyre_monitoring_v1_DriftReport__Output>
        FeatureDrift: MessageTypeDefinition<_gyre_monitoring_v1_FeatureDrift, _gyre_monitoring_v1_FeatureDrift__Output>
        GetDriftReportRequest: MessageTypeDefinition<_gyre_monitoring_v1_GetDriftReportRequest, _gyre_monitoring_v1_GetDriftReportRequest__Output>
        GetPrequentialMetricsRequest: MessageTypeDefinition<_gyre_monitoring_v1_GetPrequentialMetricsRequest, _gyre_monitoring_v1_GetPrequentialMetricsRequest__Output>
        GetPrequentialMetricsResponse: MessageTypeDefinition<_gyre_monitoring_v1_GetPrequentialMetricsResponse, _gyre_monitoring_v1_GetPrequentialMetricsResponse__Output>
        GetReferenceStatisticsRequest: MessageTypeDefinition<_gyre_monitoring_v1_GetReferenceStatisticsRequest, _gyre_monitoring_v1_GetReferenceStatisticsRequest__Output>
        GetServedAccuracyRequest: MessageTypeDefinition<_gyre_monitoring_v1_GetServedAccuracyRequest, _gyre_monitoring_v1_GetServedAccuracyRequest__Output>
        GetServedAccuracyResponse: MessageTypeDefinition<_gyre_monitoring_v1_GetServedAccuracyResponse, _gyre_monitoring_v1_GetServedAccuracyResponse__Output>
        LabelCounts: MessageTypeDefinition<_gyre_monitoring_v1_LabelCounts, _gyre_monitoring_v1_LabelCounts__Output>
        ListDriftEventsRequest: MessageTypeDefinition<_gyre_monitoring_v1_ListDriftEventsRequest, _gyre_monitoring_v1_ListDriftEventsRequest__Output>
        ListDriftEventsResponse: MessageTypeDefinition<_gyre_monitoring_v1_ListDriftEventsResponse, _gyre_monitoring_v1_ListDriftEventsResponse__Output>
        ListRetrainsRequest: MessageTypeDefinition<_gyre_monitoring_v1_ListRetrainsRequest, _gyre_monitoring_v1_ListRetrainsRequest__Output>
        ListRetrainsResponse: MessageTypeDefinition<_gyre_monitoring_v1_ListRetrainsResponse, _gyre_monitoring_v1_ListRetrainsResponse__Output>
        Monitoring: SubtypeConstructor<typeof grpc.Client, _gyre_monitoring_v1_MonitoringClient> & { service: _gyre_monitoring_v1_MonitoringDefinition }
        PrequentialPoint: MessageTypeDefinition<_gyre_monitoring_v1_PrequentialPoint, _gyre_monitoring_v1_PrequentialPoint__Output>
        ReferenceCategory: MessageTypeDefinition<_gyre_monitoring_v1_ReferenceCategory, _gyre_monitoring_v1_ReferenceCategory__Output>
        ReferenceQuantile: MessageTypeDefinition<_gyre_monitoring_v1_ReferenceQuantile, _gyre_monitoring_v1_ReferenceQuantile__Output>
        ReferenceStatistics: MessageTypeDefinition<_gyre_monitoring_v1_ReferenceStatistics, _gyre_monitoring_v1_ReferenceStatistics__Output>
        Retrain: MessageTypeDefinition<_gyre_monitoring_v1_Retrain, _gyre_monitoring_v1_Retrain__Output>
        ServedAccuracy: MessageTypeDefinition<_gyre_monitoring_v1_ServedAccuracy, _gyre_monitoring_v1_ServedAccuracy__Output>
        UnscoredBatch: MessageTypeDefinition<_gyre_monitoring_v1_UnscoredBatch, _gyre_monitoring_v1_UnscoredBatch__Output>
      }
    }
  }
}

