// Names for the generated trainer types that the trainer and its clients (the CLI, tests) use.
// `__Output` types are what a receiver gets (every field present, int64 as string); plain types are what it may send.

export type {
  BatchRef as TrainerBatchRef,
  BatchRef__Output as TrainerBatchRef__Output,
} from "./generated/gyre/trainer/v1/BatchRef.ts";
export type {
  Epoch as TrainerEpoch,
  Epoch__Output as TrainerEpoch__Output,
} from "./generated/gyre/trainer/v1/Epoch.ts";
export type {
  EvaluateExternalModelRequest,
  EvaluateExternalModelRequest__Output,
} from "./generated/gyre/trainer/v1/EvaluateExternalModelRequest.ts";
export type {
  EvaluateExternalModelResponse,
  EvaluateExternalModelResponse__Output,
} from "./generated/gyre/trainer/v1/EvaluateExternalModelResponse.ts";
export type { GetRunRequest as TrainerGetRunRequest } from "./generated/gyre/trainer/v1/GetRunRequest.ts";
export type {
  MetricDifference as ReproducedMetric,
  MetricDifference__Output as ReproducedMetric__Output,
} from "./generated/gyre/trainer/v1/MetricDifference.ts";
export type {
  ReproduceRunRequest,
  ReproduceRunRequest__Output,
} from "./generated/gyre/trainer/v1/ReproduceRunRequest.ts";
export type {
  ReproduceRunResponse,
  ReproduceRunResponse__Output,
} from "./generated/gyre/trainer/v1/ReproduceRunResponse.ts";
export type { Run as TrainerRun, Run__Output as TrainerRun__Output } from "./generated/gyre/trainer/v1/Run.ts";
export type { TrainerClient, TrainerHandlers } from "./generated/gyre/trainer/v1/Trainer.ts";
export type { TrainRequest, TrainRequest__Output } from "./generated/gyre/trainer/v1/TrainRequest.ts";
export type { TrainResponse, TrainResponse__Output } from "./generated/gyre/trainer/v1/TrainResponse.ts";
export type {
  Trigger as TrainerTrigger,
  Trigger__Output as TrainerTrigger__Output,
} from "./generated/gyre/trainer/v1/Trigger.ts";
export type { ProtoGrpcType as TrainerProto } from "./generated/trainer.ts";
