import type * as grpc from "@grpc/grpc-js";
import { GrpcStatus } from "@gyre/grpc";
import { TrainingDivergedError, TrainingInputError } from "@gyre/model";
import { UnknownSpecRevisionError } from "@gyre/spec";
import { ChampionUnusableError } from "./champion.ts";

export interface RunFailureKind {
  /** Trying again with the same data and spec would fail the same way: the run fails for good. */
  permanent: boolean;
  /** Short and bounded (a metric label): the TrainingInputError problem, "champion-artifact", ... */
  kind: string;
  message: string;
}

// The feature store or the registry refusing the request, not failing to answer it.
const REFUSALS = new Set<number>([GrpcStatus.NOT_FOUND, GrpcStatus.INVALID_ARGUMENT, GrpcStatus.FAILED_PRECONDITION]);

/** Why a run failed, and whether retrying could help. Errors the trainer does not know are taken as transient. */
export function classifyFailure(error: unknown): RunFailureKind {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof TrainingInputError) return { permanent: true, kind: error.problem, message };
  if (error instanceof TrainingDivergedError) return { permanent: true, kind: "diverged", message };
  if (error instanceof ChampionUnusableError) return { permanent: true, kind: "champion-artifact", message };
  if (error instanceof UnknownSpecRevisionError) return { permanent: true, kind: "unknown-spec-revision", message };
  const code = (error as Partial<grpc.ServiceError> | null)?.code;
  if (typeof code === "number" && "metadata" in (error as object)) {
    const status = GrpcStatus[code] ?? String(code);
    return REFUSALS.has(code)
      ? { permanent: true, kind: "grpc-refused", message: `gRPC ${status}: ${message}` }
      : { permanent: false, kind: "grpc-failed", message: `gRPC ${status}: ${message}` };
  }
  return { permanent: false, kind: error instanceof Error ? error.name : "unknown", message };
}
