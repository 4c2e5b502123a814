// Names for the generated KServe v2 types that serving and its clients use. `__Output` types are what a
// handler receives (every field present, int64 as string); the plain types are what it may send.

export type { ProtoGrpcType as InferenceProto } from "./generated/grpc_predict_v2.ts";
export type {
  GRPCInferenceServiceClient as InferenceClient,
  GRPCInferenceServiceHandlers as InferenceHandlers,
} from "./generated/inference/GRPCInferenceService.ts";
export type { InferParameter, InferParameter__Output } from "./generated/inference/InferParameter.ts";
export type { InferTensorContents, InferTensorContents__Output } from "./generated/inference/InferTensorContents.ts";
export type {
  _inference_ModelInferRequest_InferInputTensor as InferInputTensor,
  _inference_ModelInferRequest_InferInputTensor__Output as InferInputTensor__Output,
  _inference_ModelInferRequest_InferRequestedOutputTensor__Output as InferRequestedOutputTensor__Output,
  ModelInferRequest,
  ModelInferRequest__Output,
} from "./generated/inference/ModelInferRequest.ts";
export type {
  _inference_ModelInferResponse_InferOutputTensor as InferOutputTensor,
  ModelInferResponse,
  ModelInferResponse__Output,
} from "./generated/inference/ModelInferResponse.ts";
export type {
  _inference_ModelMetadataResponse_TensorMetadata as TensorMetadata,
  ModelMetadataResponse,
  ModelMetadataResponse__Output,
} from "./generated/inference/ModelMetadataResponse.ts";
