export { status as GrpcStatus } from "@grpc/grpc-js";
export { GrpcStatusError, grpcError } from "./errors.ts";
export type {
  InferenceClient,
  InferenceHandlers,
  InferenceProto,
  InferInputTensor,
  InferInputTensor__Output,
  InferOutputTensor,
  InferParameter,
  InferParameter__Output,
  InferRequestedOutputTensor__Output,
  InferTensorContents,
  InferTensorContents__Output,
  ModelInferRequest,
  ModelInferRequest__Output,
  ModelInferResponse,
  ModelInferResponse__Output,
  ModelMetadataResponse,
  ModelMetadataResponse__Output,
  TensorMetadata,
} from "./inference.ts";
export {
  loadPackageDefinition,
  loadProto,
  ProtoNotFoundError,
  type ProtoPath,
  type ProtoTypes,
  servicesOf,
} from "./proto.ts";
export { PROTO_LOADER_OPTIONS, PROTO_ROOT, protoGenFlags } from "./proto-options.ts";
export {
  createGrpcServer,
  type GrpcServer,
  type GrpcServerOptions,
  InvalidGrpcOptionError,
  listen,
  type ServingStatus,
  shutdown,
} from "./server.ts";
