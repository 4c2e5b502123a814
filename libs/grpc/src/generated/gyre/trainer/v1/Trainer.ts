// Original file: proto/trainer/trainer.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { EvaluateExternalModelRequest as _gyre_trainer_v1_EvaluateExternalModelRequest, EvaluateExternalModelRequest__Output as _gyre_trainer_v1_EvaluateExternalModelRequest__Output } from '../../../gyre/trainer/v1/EvaluateExternalModelRequest.ts';
import type { EvaluateExternalModelResponse as _gyre_trainer_v1_EvaluateExternalModelResponse, EvaluateExternalModelResponse__Output as _gyre_trainer_v1_EvaluateExternalModelResponse__Output } from '../../../gyre/trainer/v1/EvaluateExternalModelResponse.ts';
import type { GetRunRequest as _gyre_trainer_v1_GetRunRequest, GetRunRequest__Output as _gyre_trainer_v1_GetRunRequest__Output } from '../../../gyre/trainer/v1/GetRunRequest.ts';
import type { ReproduceRunRequest as _gyre_trainer_v1_ReproduceRunRequest, ReproduceRunRequest__Output as _gyre_trainer_v1_ReproduceRunRequest__Output } from '../../../gyre/trainer/v1/ReproduceRunRequest.ts';
import type { ReproduceRunResponse as _gyre_trainer_v1_ReproduceRunResponse, ReproduceRunResponse__Output as _gyre_trainer_v1_ReproduceRunResponse__Output } from '../../../gyre/trainer/v1/ReproduceRunResponse.ts';
import type { Run as _gyre_trainer_v1_Run, Run__Output as _gyre_trainer_v1_Run__Output } from '../../../gyre/trainer/v1/Run.ts';
import type { TrainRequest as _gyre_trainer_v1_TrainRequest, TrainRequest__Output as _gyre_trainer_v1_TrainRequest__Output } from '../../../gyre/trainer/v1/TrainRequest.ts';
import type { TrainResponse as _gyre_trainer_v1_TrainResponse, TrainResponse__Output as _gyre_trainer_v1_TrainResponse__Output } from '../../../gyre/trainer/v1/TrainResponse.ts';

export interface TrainerClient extends grpc.Client {
  EvaluateExternalModel(argument: _gyre_trainer_v1_EvaluateExternalModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_trainer_v1_EvaluateExternalModelResponse__Output>): grpc.ClientUnaryCall;
  EvaluateExternalModel(argument: _gyre_trainer_v1_EvaluateExternalModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_trainer_v1_EvaluateExternalModelResponse__Output>): grpc.ClientUnaryCall;
  EvaluateExternalModel(argument: _gyre_trainer_v1_EvaluateExternalModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_trainer_v1_EvaluateExternalModelResponse__Output>): grpc.ClientUnaryCall;
  EvaluateExternalModel(argument: _gyre_trainer_v1_EvaluateExternalModelRequest, callback: grpc.requestCallback<_gyre_trainer_v1_EvaluateExternalModelResponse__Output>): grpc.ClientUnaryCall;
  evaluateExternalModel(argument: _gyre_trainer_v1_EvaluateExternalModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_trainer_v1_EvaluateExternalModelResponse__Output>): grpc.ClientUnaryCall;
  evaluateExternalModel(argument: _gyre_trainer_v1_EvaluateExternalModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_trainer_v1_EvaluateExternalModelResponse__Output>): grpc.ClientUnaryCall;
  evaluateExternalModel(argument: _gyre_trainer_v1_EvaluateExternalModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_trainer_v1_EvaluateExternalModelResponse__Output>): grpc.ClientUnaryCall;
  evaluateExternalModel(argument: _gyre_trainer_v1_EvaluateExternalModelRequest, callback: grpc.requestCallback<_gyre_trainer_v1_EvaluateExternalModelResponse__Output>): grpc.ClientUnaryCall;
  
  GetRun(argument: _gyre_trainer_v1_GetRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_trainer_v1_Run__Output>): grpc.ClientUnaryCall;
  GetRun(argument: _gyre_trainer_v1_GetRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_trainer_v1_Run__Output>): grpc.ClientUnaryCall;
  GetRun(argument: _gyre_trainer_v1_GetRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_trainer_v1_Run__Output>): grpc.ClientUnaryCall;
  GetRun(argument: _gyre_trainer_v1_GetRunRequest, callback: grpc.requestCallback<_gyre_trainer_v1_Run__Output>): grpc.ClientUnaryCall;
  getRun(argument: _gyre_trainer_v1_GetRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_trainer_v1_Run__Output>): grpc.ClientUnaryCall;
  getRun(argument: _gyre_trainer_v1_GetRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_trainer_v1_Run__Output>): grpc.ClientUnaryCall;
  getRun(argument: _gyre_trainer_v1_GetRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_trainer_v1_Run__Output>): grpc.ClientUnaryCall;
  getRun(argument: _gyre_trainer_v1_GetRunRequest, callback: grpc.requestCallback<_gyre_trainer_v1_Run__Output>): grpc.ClientUnaryCall;
  
  ReproduceRun(argument: _gyre_trainer_v1_ReproduceRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_trainer_v1_ReproduceRunResponse__Output>): grpc.ClientUnaryCall;
  ReproduceRun(argument: _gyre_trainer_v1_ReproduceRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_trainer_v1_ReproduceRunResponse__Output>): grpc.ClientUnaryCall;
  ReproduceRun(argument: _gyre_trainer_v1_ReproduceRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_trainer_v1_ReproduceRunResponse__Output>): grpc.ClientUnaryCall;
  ReproduceRun(argument: _gyre_trainer_v1_ReproduceRunRequest, callback: grpc.requestCallback<_gyre_trainer_v1_ReproduceRunResponse__Output>): grpc.ClientUnaryCall;
  reproduceRun(argument: _gyre_trainer_v1_ReproduceRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_trainer_v1_ReproduceRunResponse__Output>): grpc.ClientUnaryCall;
  reproduceRun(argument: _gyre_trainer_v1_ReproduceRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_trainer_v1_ReproduceRunResponse__Output>): grpc.ClientUnaryCall;
  reproduceRun(argument: _gyre_trainer_v1_ReproduceRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_trainer_v1_ReproduceRunResponse__Output>): grpc.ClientUnaryCall;
  reproduceRun(argument: _gyre_trainer_v1_ReproduceRunRequest, callback: grpc.requestCallback<_gyre_trainer_v1_ReproduceRunResponse__Output>): grpc.ClientUnaryCall;
  
  Train(argument: _gyre_trainer_v1_TrainRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_trainer_v1_TrainResponse__Output>): grpc.ClientUnaryCall;
  Train(argument: _gyre_trainer_v1_TrainRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_trainer_v1_TrainResponse__Output>): grpc.ClientUnaryCall;
  Train(argument: _gyre_trainer_v1_TrainRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_trainer_v1_TrainResponse__Output>): grpc.ClientUnaryCall;
  Train(argument: _gyre_trainer_v1_TrainRequest, callback: grpc.requestCallback<_gyre_trainer_v1_TrainResponse__Output>): grpc.ClientUnaryCall;
  train(argument: _gyre_trainer_v1_TrainRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_trainer_v1_TrainResponse__Output>): grpc.ClientUnaryCall;
  train(argument: _gyre_trainer_v1_TrainRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gyre_trainer_v1_TrainResponse__Output>): grpc.ClientUnaryCall;
  train(argument: _gyre_trainer_v1_TrainRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gyre_trainer_v1_TrainResponse__Output>): grpc.ClientUnaryCall;
  train(argument: _gyre_trainer_v1_TrainRequest, callback: grpc.requestCallback<_gyre_trainer_v1_TrainResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface TrainerHandlers extends grpc.UntypedServiceImplementation {
  EvaluateExternalModel: grpc.handleUnaryCall<_gyre_trainer_v1_EvaluateExternalModelRequest__Output, _gyre_trainer_v1_EvaluateExternalModelResponse>;
  
  GetRun: grpc.handleUnaryCall<_gyre_trainer_v1_GetRunRequest__Output, _gyre_trainer_v1_Run>;
  
  ReproduceRun: grpc.handleUnaryCall<_gyre_trainer_v1_ReproduceRunRequest__Output, _gyre_trainer_v1_ReproduceRunResponse>;
  
  Train: grpc.handleUnaryCall<_gyre_trainer_v1_TrainRequest__Output, _gyre_trainer_v1_TrainResponse>;
  
}

export interface TrainerDefinition extends grpc.ServiceDefinition {
  EvaluateExternalModel: MethodDefinition<_gyre_trainer_v1_EvaluateExternalModelRequest, _gyre_trainer_v1_EvaluateExternalModelResponse, _gyre_trainer_v1_EvaluateExternalModelRequest__Output, _gyre_trainer_v1_EvaluateExternalModelResponse__Output>
  GetRun: MethodDefinition<_gyre_trainer_v1_GetRunRequest, _gyre_trainer_v1_Run, _gyre_trainer_v1_GetRunRequest__Output, _gyre_trainer_v1_Run__Output>
  ReproduceRun: MethodDefinition<_gyre_trainer_v1_ReproduceRunRequest, _gyre_trainer_v1_ReproduceRunResponse, _gyre_trainer_v1_ReproduceRunRequest__Output, _gyre_trainer_v1_ReproduceRunResponse__Output>
  Train: MethodDefinition<_gyre_trainer_v1_TrainRequest, _gyre_trainer_v1_TrainResponse, _gyre_trainer_v1_TrainRequest__Output, _gyre_trainer_v1_TrainResponse__Output>
}
