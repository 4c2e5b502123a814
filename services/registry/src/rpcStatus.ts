import type * as grpc from "@grpc/grpc-js";
import { DatabaseUnavailableError } from "@gyre/db";
import { GrpcStatus, GrpcStatusError, grpcError } from "@gyre/grpc";
import type { Logger } from "@gyre/log";
import { LABEL } from "@gyre/telemetry";
import {
  ChampionNotFoundError,
  ModelNotFoundError,
  NoPreviousChampionError,
  RunNotFoundError,
  VersionNotFoundError,
} from "./errors.ts";
import type { RegistryMetrics } from "./metrics.ts";

/** The gRPC status an error answers with; errors the registry does not know become INTERNAL. */
export function grpcStatusOf(error: unknown): GrpcStatusError {
  if (error instanceof GrpcStatusError) return error;
  if (
    error instanceof ModelNotFoundError ||
    error instanceof VersionNotFoundError ||
    error instanceof ChampionNotFoundError ||
    error instanceof RunNotFoundError
  ) {
    return grpcError(GrpcStatus.NOT_FOUND, error.message);
  }
  if (error instanceof NoPreviousChampionError) return grpcError(GrpcStatus.FAILED_PRECONDITION, error.message);
  if (error instanceof DatabaseUnavailableError) return grpcError(GrpcStatus.UNAVAILABLE, error.message);
  const described = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return grpcError(GrpcStatus.INTERNAL, described);
}

export interface UnaryContext {
  log: Logger;
  metrics: RegistryMetrics;
}

/**
 * A unary handler from an async function: answers with its result or with the status of what it threw, records
 * the call's duration by method and status, and logs the failures that are the server's (INTERNAL, UNAVAILABLE).
 */
export function unary<Request, Response>(
  context: UnaryContext,
  method: string,
  answer: (request: Request) => Promise<Response>,
): grpc.handleUnaryCall<Request, Response> {
  return (call, callback) => {
    const started = performance.now();
    const observe = (code: grpc.status) =>
      context.metrics.grpcDuration.observe(
        { [LABEL.grpcMethod]: method, [LABEL.grpcCode]: GrpcStatus[code] },
        (performance.now() - started) / 1000,
      );
    answer(call.request).then(
      (response) => {
        observe(GrpcStatus.OK);
        callback(null, response);
      },
      (error: unknown) => {
        const status = grpcStatusOf(error);
        observe(status.code);
        if (status.code === GrpcStatus.INTERNAL || status.code === GrpcStatus.UNAVAILABLE) {
          context.log.error({ err: error, event: "grpc.failed", method, code: GrpcStatus[status.code] }, "call failed");
        }
        callback(status);
      },
    );
  };
}
