// Original file: proto/featurestore/feature_store.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ExportTrainingSetRequest as _gyre_featurestore_v1_ExportTrainingSetRequest, ExportTrainingSetRequest__Output as _gyre_featurestore_v1_ExportTrainingSetRequest__Output } from '../../../gyre/featurestore/v1/ExportTrainingSetRequest.ts';
import type { ExportTrainingSetResponse as _gyre_featurestore_v1_ExportTrainingSetResponse, ExportTrainingSetResponse__Output as _gyre_featurestore_v1_ExportTrainingSetResponse__Output } from '../../../gyre/featurestore/v1/ExportTrainingSetResponse.ts';
import type { GetOnlineFeaturesRequest as _gyre_featurestore_v1_GetOnlineFeaturesRequest, GetOnlineFeaturesRequest__Output as _gyre_featurestore_v1_GetOnlineFeaturesRequest__Output } from '../../../gyre/featurestore/v1/GetOnlineFeaturesRequest.ts';
import type { GetOnlineFeaturesResponse as _gyre_featurestore_v1_GetOnlineFeaturesResponse, GetOnlineFeaturesResponse__Output as _gyre_featurestore_v1_GetOnlineFeaturesResponse__Output } from '../../../gyre/featurestore/v1/GetOnlineFeaturesResponse.ts';

export interface FeatureStoreClient extends grpc.Client {
  ExportTrainingSet(argument: _gyre_featurestore_v1_ExportTrainingSetRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_gyre_featurestore_v1_ExportTrainingSetResponse__Output>;
  ExportTrainingSet(argument: _gyre_featurestore_v1_ExportTrainingSetRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_gyre_featurestore_v1_ExportTrainingSetResponse__Output>;
  exportTrainingSet(argument: _gyre_featurestore_v1_ExportTrainingSetRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_gyre_featurestore_v1_ExportTrainingSetResponse__Output>;
  exportTrainingSet(argument: _gyre_featurestore_v1_ExportTrainingSetRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_gyre_featurestore_v1_ExportTrainingSetResponse__Output>;
  
  GetOnlineFeatures(argument: _gyre_featurestore_v1_GetOnlineFeaturesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_featurestore_v1_GetOnlineFeaturesResponse__Output>): grpc.ClientUnaryCall;
  GetOnlineFeatures(argument: _gyre_featurestore_v1_GetOnlineFeaturesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_featurestore_v1_GetOnlineFeaturesResponse__Output>): grpc.ClientUnaryCall;
  GetOnlineFeatures(argument: _gyre_featurestore_v1_GetOnlineFeaturesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_featurestore_v1_GetOnlineFeaturesResponse__Output>): grpc.ClientUnaryCall;
  GetOnlineFeatures(argument: _gyre_featurestore_v1_GetOnlineFeaturesRequest, callback: grpc.requestCallback<_gyre_featurestore_v1_GetOnlineFeaturesResponse__Output>): grpc.ClientUnaryCall;
  getOnlineFeatures(argument: _gyre_featurestore_v1_GetOnlineFeaturesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_featurestore_v1_GetOnlineFeaturesResponse__Output>): grpc.ClientUnaryCall;
  getOnlineFeatures(argument: _gyre_featurestore_v1_GetOnlineFeaturesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_featurestore_v1_GetOnlineFeaturesResponse__Output>): grpc.ClientUnaryCall;
  getOnlineFeatures(argument: _gyre_featurestore_v1_GetOnlineFeaturesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_featurestore_v1_GetOnlineFeaturesResponse__Output>): grpc.ClientUnaryCall;
  getOnlineFeatures(argument: _gyre_featurestore_v1_GetOnlineFeaturesRequest, callback: grpc.requestCallback<_gyre_featurestore_v1_GetOnlineFeaturesResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface FeatureStoreHandlers extends grpc.UntypedServiceImplementation {
  ExportTrainingSet: grpc.handleServerStreamingCall<_gyre_featurestore_v1_ExportTrainingSetRequest__Output, _gyre_featurestore_v1_ExportTrainingSetResponse>;
  
  GetOnlineFeatures: grpc.handleUnaryCall<_gyre_featurestore_v1_GetOnlineFeaturesRequest__Output, _gyre_featurestore_v1_GetOnlineFeaturesResponse>;
  
}

export interface FeatureStoreDefinition extends grpc.ServiceDefinition {
  ExportTrainingSet: MethodDefinition<_gyre_featurestore_v1_ExportTrainingSetRequest, _gyre_featurestore_v1_ExportTrainingSetResponse, _gyre_featurestore_v1_ExportTrainingSetRequest__Output, _gyre_featurestore_v1_ExportTrainingSetResponse__Output>
  GetOnlineFeatures: MethodDefinition<_gyre_featurestore_v1_GetOnlineFeaturesRequest, _gyre_featurestore_v1_GetOnlineFeaturesResponse, _gyre_featurestore_v1_GetOnlineFeaturesRequest__Output, _gyre_featurestore_v1_GetOnlineFeaturesResponse__Output>
}
