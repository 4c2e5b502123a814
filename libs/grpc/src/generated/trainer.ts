import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { BatchRef as _gyre_trainer_v1_BatchRef, BatchRef__Output as _gyre_trainer_v1_BatchRef__Output } from './gyre/trainer/v1/BatchRef.ts';
import type { Epoch as _gyre_trainer_v1_Epoch, Epoch__Output as _gyre_trainer_v1_Epoch__Output } from './gyre/trainer/v1/Epoch.ts';
import type { EvaluateExternalModelRequest as _gyre_trainer_v1_EvaluateExternalModelRequest, EvaluateExternalModelRequest__Output as _gyre_trainer_v1_EvaluateExternalModelRequest__Output } from './gyre/trainer/v1/EvaluateExternalModelRequest.ts';
import type { EvaluateExternalModelResponse as _gyre_trainer_v1_EvaluateExternalModelResponse, EvaluateExternalModelResponse__Output as _gyre_trainer_v1_EvaluateExternalModelResponse__Output } from './gyre/trainer/v1/EvaluateExternalModelResponse.ts';
import type { GetRunRequest as _gyre_trainer_v1_GetRunRequest, GetRunRequest__Output as _gyre_trainer_v1_GetRunRequest__Output } from './gyre/trainer/v1/GetRunRequest.ts';
import type { MetricDifference as _gyre_trainer_v1_MetricDifference, MetricDifference__Output as _gyre_trainer_v1_MetricDifference__Output } from './gyre/trainer/v1/MetricDifference.ts';
import type { ReproduceRunRequest as _gyre_trainer_v1_ReproduceRunRequest, ReproduceRunRequest__Output as _gyre_trainer_v1_ReproduceRunRequest__Output } from './gyre/trainer/v1/ReproduceRunRequest.ts';
import type { ReproduceRunResponse as _gyre_trainer_v1_ReproduceRunResponse, ReproduceRunResponse__Output as _gyre_trainer_v1_ReproduceRunResponse__Output } from './gyre/trainer/v1/ReproduceRunResponse.ts';
import type { Run as _gyre_trainer_v1_Run, Run__Output as _gyre_trainer_v1_Run__Output } from './gyre/trainer/v1/Run.ts';
import type { TrainRequest as _gyre_trainer_v1_TrainRequest, TrainRequest__Output as _gyre_trainer_v1_TrainRequest__Output } from './gyre/trainer/v1/TrainRequest.ts';
import type { TrainResponse as _gyre_trainer_v1_TrainResponse, TrainResponse__Output as _gyre_trainer_v1_TrainResponse__Output } from './gyre/trainer/v1/TrainResponse.ts';
import type { TrainerClient as _gyre_trainer_v1_TrainerClient, TrainerDefinition as _gyre_trainer_v1_TrainerDefinition } from './gyre/trainer/v1/Trainer.ts';
import type { Trigger as _gyre_trainer_v1_Trigger, Trigger__Output as _gyre_trainer_v1_Trigger__Output } from './gyre/trainer/v1/Trigger.ts';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  gyre: {
    trainer: {
      v1: {
        BatchRef: MessageTypeDefinition<_gyre_trainer_v1_BatchRef, _gyre_trainer_v1_BatchRef__Output>
        Epoch: MessageTypeDefinition<_gyre_trainer_v1_Epoch, _gyre_trainer_v1_Epoch__Output>
        EvaluateExternalModelRequest: MessageTypeDefinition<_gyre_trainer_v1_EvaluateExternalModelRequest, _gyre_trainer_v1_EvaluateExternalModelRequest__Output>
        EvaluateExternalModelResponse: MessageTypeDefinition<_gyre_trainer_v1_EvaluateExternalModelResponse, _gyre_trainer_v1_EvaluateExternalModelResponse__Output>
        GetRunRequest: MessageTypeDefinition<_gyre_trainer_v1_GetRunRequest, _gyre_trainer_v1_GetRunRequest__Output>
        MetricDifference: MessageTypeDefinition<_gyre_trainer_v1_MetricDifference, _gyre_trainer_v1_MetricDifference__Output>
        ReproduceRunRequest: MessageTypeDefinition<_gyre_trainer_v1_ReproduceRunRequest, _gyre_trainer_v1_ReproduceRunRequest__Output>
        ReproduceRunResponse: MessageTypeDefinition<_gyre_trainer_v1_ReproduceRunResponse, _gyre_trainer_v1_ReproduceRunResponse__Output>
        Run: MessageTypeDefinition<_gyre_trainer_v1_Run, _gyre_trainer_v1_Run__Output>
        TrainRequest: MessageTypeDefinition<_gyre_trainer_v1_TrainRequest, _gyre_trainer_v1_TrainRequest__Output>
        TrainResponse: MessageTypeDefinition<_gyre_trainer_v1_TrainResponse, _gyre_trainer_v1_TrainResponse__Output>
        Trainer: SubtypeConstructor<typeof grpc.Client, _gyre_trainer_v1_TrainerClient> & { service: _gyre_trainer_v1_TrainerDefinition }
        Trigger: MessageTypeDefinition<_gyre_trainer_v1_Trigger, _gyre_trainer_v1_Trigger__Output>
      }
    }
  }
}

