import { GrpcStatus, GrpcStatusError, grpcError } from "@gyre/grpc";

/** A request the model cannot take as sent (shape, datatype, NaN, a missing feature, an unknown category, ...). */
export class InferenceInputError extends Error {
  override name = "InferenceInputError";
}

/** No such model (dataset) or version, or it has no champion to serve. */
export class ModelNotFoundError extends Error {
  override name = "ModelNotFoundError";
}

/** Loading another version would pass SERVING_MAX_MODELS while every loaded model is in use as champion or challenger. */
export class ModelCapacityError extends Error {
  override name = "ModelCapacityError";
}

/** The registry or the artifact store could not be reached to load a model. */
export class ModelUnavailableError extends Error {
  override name = "ModelUnavailableError";
}

/** The call's deadline passed (or the client cancelled) before an answer was ready. */
export class DeadlineExceededError extends Error {
  override name = "DeadlineExceededError";
}

/** The gRPC status an error answers with; anything unexpected is INTERNAL with its name and message. */
export function grpcStatusOf(error: unknown): GrpcStatusError {
  if (error instanceof GrpcStatusError) return error;
  if (error instanceof InferenceInputError) return grpcError(GrpcStatus.INVALID_ARGUMENT, error.message);
  if (error instanceof ModelNotFoundError) return grpcError(GrpcStatus.NOT_FOUND, error.message);
  if (error instanceof ModelCapacityError) return grpcError(GrpcStatus.RESOURCE_EXHAUSTED, error.message);
  if (error instanceof ModelUnavailableError) return grpcError(GrpcStatus.UNAVAILABLE, error.message);
  if (error instanceof DeadlineExceededError) return grpcError(GrpcStatus.DEADLINE_EXCEEDED, error.message);
  const described = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return grpcError(GrpcStatus.INTERNAL, described);
}
