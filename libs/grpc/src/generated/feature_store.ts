import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { BatchRef as _gyre_featurestore_v1_BatchRef, BatchRef__Output as _gyre_featurestore_v1_BatchRef__Output } from './gyre/featurestore/v1/BatchRef.ts';
import type { Column as _gyre_featurestore_v1_Column, Column__Output as _gyre_featurestore_v1_Column__Output } from './gyre/featurestore/v1/Column.ts';
import type { ColumnValues as _gyre_featurestore_v1_ColumnValues, ColumnValues__Output as _gyre_featurestore_v1_ColumnValues__Output } from './gyre/featurestore/v1/ColumnValues.ts';
import type { EntityFeatures as _gyre_featurestore_v1_EntityFeatures, EntityFeatures__Output as _gyre_featurestore_v1_EntityFeatures__Output } from './gyre/featurestore/v1/EntityFeatures.ts';
import type { EventTimeRange as _gyre_featurestore_v1_EventTimeRange, EventTimeRange__Output as _gyre_featurestore_v1_EventTimeRange__Output } from './gyre/featurestore/v1/EventTimeRange.ts';
import type { ExportTrainingSetRequest as _gyre_featurestore_v1_ExportTrainingSetRequest, ExportTrainingSetRequest__Output as _gyre_featurestore_v1_ExportTrainingSetRequest__Output } from './gyre/featurestore/v1/ExportTrainingSetRequest.ts';
import type { ExportTrainingSetResponse as _gyre_featurestore_v1_ExportTrainingSetResponse, ExportTrainingSetResponse__Output as _gyre_featurestore_v1_ExportTrainingSetResponse__Output } from './gyre/featurestore/v1/ExportTrainingSetResponse.ts';
import type { FeatureStoreClient as _gyre_featurestore_v1_FeatureStoreClient, FeatureStoreDefinition as _gyre_featurestore_v1_FeatureStoreDefinition } from './gyre/featurestore/v1/FeatureStore.ts';
import type { FeatureValue as _gyre_featurestore_v1_FeatureValue, FeatureValue__Output as _gyre_featurestore_v1_FeatureValue__Output } from './gyre/featurestore/v1/FeatureValue.ts';
import type { GetOnlineFeaturesRequest as _gyre_featurestore_v1_GetOnlineFeaturesRequest, GetOnlineFeaturesRequest__Output as _gyre_featurestore_v1_GetOnlineFeaturesRequest__Output } from './gyre/featurestore/v1/GetOnlineFeaturesRequest.ts';
import type { GetOnlineFeaturesResponse as _gyre_featurestore_v1_GetOnlineFeaturesResponse, GetOnlineFeaturesResponse__Output as _gyre_featurestore_v1_GetOnlineFeaturesResponse__Output } from './gyre/featurestore/v1/GetOnlineFeaturesResponse.ts';
import type { HistoryRow as _gyre_featurestore_v1_HistoryRow, HistoryRow__Output as _gyre_featurestore_v1_HistoryRow__Output } from './gyre/featurestore/v1/HistoryRow.ts';
import type { RowChunk as _gyre_featurestore_v1_RowChunk, RowChunk__Output as _gyre_featurestore_v1_RowChunk__Output } from './gyre/featurestore/v1/RowChunk.ts';
import type { TrainingSetHeader as _gyre_featurestore_v1_TrainingSetHeader, TrainingSetHeader__Output as _gyre_featurestore_v1_TrainingSetHeader__Output } from './gyre/featurestore/v1/TrainingSetHeader.ts';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  gyre: {
    featurestore: {
      v1: {
        BatchRef: MessageTypeDefinition<_gyre_featurestore_v1_BatchRef, _gyre_featurestore_v1_BatchRef__Output>
        Column: MessageTypeDefinition<_gyre_featurestore_v1_Column, _gyre_featurestore_v1_Column__Output>
        ColumnRole: EnumTypeDefinition
        ColumnType: EnumTypeDefinition
        ColumnValues: MessageTypeDefinition<_gyre_featurestore_v1_ColumnValues, _gyre_featurestore_v1_ColumnValues__Output>
        EntityFeatures: MessageTypeDefinition<_gyre_featurestore_v1_EntityFeatures, _gyre_featurestore_v1_EntityFeatures__Output>
        EventTimeRange: MessageTypeDefinition<_gyre_featurestore_v1_EventTimeRange, _gyre_featurestore_v1_EventTimeRange__Output>
        ExportTrainingSetRequest: MessageTypeDefinition<_gyre_featurestore_v1_ExportTrainingSetRequest, _gyre_featurestore_v1_ExportTrainingSetRequest__Output>
        ExportTrainingSetResponse: MessageTypeDefinition<_gyre_featurestore_v1_ExportTrainingSetResponse, _gyre_featurestore_v1_ExportTrainingSetResponse__Output>
        FeatureStore: SubtypeConstructor<typeof grpc.Client, _gyre_featurestore_v1_FeatureStoreClient> & { service: _gyre_featurestore_v1_FeatureStoreDefinition }
        FeatureValue: MessageTypeDefinition<_gyre_featurestore_v1_FeatureValue, _gyre_featurestore_v1_FeatureValue__Output>
        GetOnlineFeaturesRequest: MessageTypeDefinition<_gyre_featurestore_v1_GetOnlineFeaturesRequest, _gyre_featurestore_v1_GetOnlineFeaturesRequest__Output>
        GetOnlineFeaturesResponse: MessageTypeDefinition<_gyre_featurestore_v1_GetOnlineFeaturesResponse, _gyre_featurestore_v1_GetOnlineFeaturesResponse__Output>
        HistoryRow: MessageTypeDefinition<_gyre_featurestore_v1_HistoryRow, _gyre_featurestore_v1_HistoryRow__Output>
        RowChunk: MessageTypeDefinition<_gyre_featurestore_v1_RowChunk, _gyre_featurestore_v1_RowChunk__Output>
        TrainingSetHeader: MessageTypeDefinition<_gyre_featurestore_v1_TrainingSetHeader, _gyre_featurestore_v1_TrainingSetHeader__Output>
      }
    }
  }
}

