import { randomUUID } from "node:crypto";
import type * as grpc from "@grpc/grpc-js";
import { InvalidNameError, parseName } from "@gyre/contracts";
import { DatabaseUnavailableError } from "@gyre/db";
import { GrpcStatus, GrpcStatusError, grpcError, type TrainerHandlers, type TrainResponse } from "@gyre/grpc";
import { TrainingInputError } from "@gyre/model";
import { UnknownDatasetError, UnknownSpecRevisionError } from "@gyre/spec";
import { LABEL } from "@gyre/telemetry";
import { DatasetBusyError } from "./datasetLock.ts";
import { ExternalArtifactError, evaluateExternalModel } from "./externalModel.ts";
import { NotReproducibleError, reproduceRun } from "./reproduce.ts";
import { reproductionMessage, runMessage } from "./runMessage.ts";
import type { TrainingRunner } from "./runner.ts";
import { getRun, RunNotFoundError } from "./runRecords.ts";
import { recordTrigger } from "./triggers.ts";

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,190}$/;
const ID_RULE = 'ids are 1-190 characters of A-Z, a-z, 0-9, ".", "_", ":" and "-", starting with a letter or digit';

export interface TrainerRpcOptions {
  /** How long ReproduceRun waits for a run of the dataset in progress before answering ABORTED. */
  reproduceLockTimeoutMs: number;
}

/** The gyre.trainer.v1.Trainer service. */
export function trainerHandlers(runner: TrainingRunner, options: TrainerRpcOptions): TrainerHandlers {
  const { pool, log, metrics } = runner.deps;
  const unary = <Request, Response>(method: string, answer: (request: Request) => Promise<Response>) =>
    unaryHandler(runner, method, answer);
  return {
    Train: unary("Train", async (request) => {
      const dataset = datasetArgument(request.dataset);
      const actor = textArgument(request.actor, "actor", 200);
      const why = request.reason.trim().slice(0, 2000);
      const requestId = request.request_id === "" ? randomUUID() : idArgument(request.request_id, "request_id");
      const spec = await runner.deps.specs.current(dataset);
      const recorded = await recordTrigger(pool, spec.spec.training, {
        eventId: `manual-${requestId}`,
        dataset,
        reason: "manual",
        detail: { actor, reason: why },
      });
      if (recorded.created) {
        metrics.triggers.inc({ [LABEL.dataset]: dataset, [LABEL.reason]: "manual", [LABEL.outcome]: "train" });
      }
      log.info({ event: "trigger.manual", dataset, eventId: recorded.eventId, actor, reason: why }, "manual trigger");
      const answer = (fields: Partial<TrainResponse>): TrainResponse => ({ trigger_id: recorded.eventId, ...fields });
      if (recorded.runId !== null) return answer({ run_id: recorded.runId });
      const kicked = await runner.kick(dataset);
      if (kicked.kind === "started") return answer({ run_id: kicked.runId });
      if (kicked.kind === "queued") return answer({ queued: true, running_run_id: kicked.runningRunId ?? "" });
      // Claimed meanwhile by another replica's run.
      const { rows } = await pool.query<{ run_id: string | null }>("SELECT run_id FROM triggers WHERE event_id = $1", [
        recorded.eventId,
      ]);
      return answer({ run_id: rows[0]?.run_id ?? "", queued: (rows[0]?.run_id ?? null) === null });
    }),

    ReproduceRun: unary("ReproduceRun", async (request) =>
      reproductionMessage(
        await reproduceRun(runner, idArgument(request.run_id, "run_id"), options.reproduceLockTimeoutMs),
      ),
    ),

    GetRun: unary("GetRun", async (request) => runMessage(await getRun(pool, idArgument(request.run_id, "run_id")))),

    EvaluateExternalModel: unary("EvaluateExternalModel", async (request) => {
      const dataset = datasetArgument(request.dataset);
      if (!/^models\/[a-z0-9_-]+\/external-[0-9a-f]{16,64}$/.test(request.artifact_key)) {
        throw invalid(
          `artifact_key ${JSON.stringify(request.artifact_key)}: expected models/<dataset>/external-<sha256>`,
        );
      }
      const { deps } = runner;
      return evaluateExternalModel(
        { ...deps, codeVersion: deps.environment.codeVersion },
        dataset,
        request.artifact_key,
      );
    }),
  };
}

function unaryHandler<Request, Response>(
  runner: TrainingRunner,
  method: string,
  answer: (request: Request) => Promise<Response>,
): grpc.handleUnaryCall<Request, Response> {
  const { log, metrics } = runner.deps;
  return (call, callback) => {
    const started = performance.now();
    const observe = (code: grpc.status) =>
      metrics.grpcDuration.observe(
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
          log.error({ err: error, event: "grpc.failed", method, code: GrpcStatus[status.code] }, "call failed");
        }
        callback(status);
      },
    );
  };
}

function grpcStatusOf(error: unknown): GrpcStatusError {
  if (error instanceof GrpcStatusError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof RunNotFoundError || error instanceof UnknownDatasetError) {
    return grpcError(GrpcStatus.NOT_FOUND, message);
  }
  if (error instanceof NotReproducibleError || error instanceof ExternalArtifactError) {
    return grpcError(GrpcStatus.FAILED_PRECONDITION, message);
  }
  if (error instanceof TrainingInputError) return grpcError(GrpcStatus.FAILED_PRECONDITION, message);
  if (error instanceof UnknownSpecRevisionError) return grpcError(GrpcStatus.NOT_FOUND, message);
  if (isGrpcError(error)) return grpcError(error.code, `the feature store or registry answered: ${message}`);
  if (error instanceof DatasetBusyError) return grpcError(GrpcStatus.ABORTED, message);
  if (error instanceof DatabaseUnavailableError) return grpcError(GrpcStatus.UNAVAILABLE, message);
  return grpcError(GrpcStatus.INTERNAL, error instanceof Error ? `${error.name}: ${message}` : message);
}

function invalid(message: string): GrpcStatusError {
  return grpcError(GrpcStatus.INVALID_ARGUMENT, message);
}

function datasetArgument(value: string): string {
  try {
    return parseName("dataset", value);
  } catch (error) {
    if (error instanceof InvalidNameError) throw invalid(error.message);
    throw error;
  }
}

function idArgument(value: string, field: string): string {
  if (!ID_PATTERN.test(value)) throw invalid(`${field} ${JSON.stringify(value)}: ${ID_RULE}`);
  return value;
}

function textArgument(value: string, field: string, max: number): string {
  const text = value.trim();
  if (text === "") throw invalid(`${field} ${JSON.stringify(value)}: required; say who asks`);
  if (text.length > max) throw invalid(`${field} of ${text.length} characters: at most ${max}`);
  return text;
}

function isGrpcError(error: unknown): error is Error & { code: GrpcStatus } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === "number" && "details" in error;
}
