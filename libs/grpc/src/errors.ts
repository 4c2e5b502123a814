import * as grpc from "@grpc/grpc-js";

/** A gRPC status as an Error: pass it to a handler's callback (or `call.emit("error", ...)`) to answer with it. */
export class GrpcStatusError extends Error implements grpc.ServiceError {
  override name = "GrpcStatusError";
  readonly details: string;
  readonly metadata: grpc.Metadata;
  constructor(
    readonly code: grpc.status,
    message: string,
    metadata: grpc.Metadata = new grpc.Metadata(),
  ) {
    super(message);
    this.details = message;
    this.metadata = metadata;
  }
}

/** `grpcError(status.NOT_FOUND, 'model "weather" version 3: not loaded')`. */
export function grpcError(code: grpc.status, message: string, metadata?: grpc.Metadata): GrpcStatusError {
  return new GrpcStatusError(code, message, metadata);
}
