import type * as grpc from "@grpc/grpc-js";
import type { ModelTrained } from "@gyre/contracts";
import {
  type EvaluateExternalModelResponse__Output,
  GrpcStatus,
  grpcError,
  loadProto,
  type RegisterExternalModelRequest__Output,
  type RegisterExternalModelResponse,
  type TrainerClient,
} from "@gyre/grpc";
import {
  checkOnnxSignature,
  EXTERNAL_FORMAT,
  externalArtifactKey,
  externalRunId,
  isExternalPreprocessing,
  ONNX_BACKEND,
  OnnxSignatureError,
  saveExternalModel,
  sha256Hex,
} from "@gyre/model";
import { type SpecStore, UnknownDatasetError } from "@gyre/spec";
import { LABEL } from "@gyre/telemetry";
import { publishDecision } from "./decisions.ts";
import { countPromotion } from "./metrics.ts";
import { getLineage } from "./modelQueries.ts";
import type { RegistrationDeps } from "./registerTrained.ts";
import { type ExternalOrigin, registeredVersion, registerVersion } from "./registration.ts";
import { datasetArgument, MAX_ACTOR_LENGTH, MAX_REASON_LENGTH, textArgument } from "./rpcArguments.ts";

/** The largest model file RegisterExternalModel takes (the registry's gRPC server receives up to this and a bit). */
export const MAX_EXTERNAL_MODEL_BYTES = 64 * 1024 * 1024;

export interface ExternalRegistrationDeps extends RegistrationDeps {
  /** The trainer, which scores the model on a holdout; null: RegisterExternalModel answers UNAVAILABLE. */
  trainer: TrainerClient | null;
  /** How long the trainer may take to export a snapshot and score the model and the champion. */
  evaluateDeadlineMs: number;
}

export function trainerClient(address: string, credentials: grpc.ChannelCredentials): TrainerClient {
  const { Trainer } = loadProto("trainer/trainer.proto").gyre.trainer.v1;
  return new Trainer(address, credentials);
}

const invalid = (message: string) => grpcError(GrpcStatus.INVALID_ARGUMENT, message);

/**
 * RegisterExternalModel: checks the file against the dataset's current spec, stores it, has the trainer score it
 * and the champion on the same holdout, and registers it as the next version under the spec's promotion policy —
 * the path a trained run takes, with the external origin (sha256, who) recorded for lineage.
 */
export async function registerExternalModel(
  deps: ExternalRegistrationDeps,
  request: RegisterExternalModelRequest__Output,
): Promise<RegisterExternalModelResponse> {
  const dataset = datasetArgument(request.dataset);
  const format = request.format === "" ? "onnx" : request.format;
  if (format !== "onnx")
    throw invalid(`format ${JSON.stringify(request.format)}: only "onnx" models can be registered`);
  const preprocessing = request.preprocessing === "" ? "none" : request.preprocessing;
  if (!isExternalPreprocessing(preprocessing)) {
    throw invalid(
      `preprocessing ${JSON.stringify(request.preprocessing)}: "none" (the model takes the spec's raw model inputs) or "gyre" (one float32 [N, F] input: Gyre's fitted preprocessing of them)`,
    );
  }
  const actor = textArgument(request.actor, "actor", MAX_ACTOR_LENGTH);
  const reason = request.reason.trim();
  if (reason.length > MAX_REASON_LENGTH)
    throw invalid(`reason of ${reason.length} characters: at most ${MAX_REASON_LENGTH}`);
  const bytes = request.model;
  if (bytes.length === 0) throw invalid("model: empty; send the ONNX file's bytes");
  if (bytes.length > MAX_EXTERNAL_MODEL_BYTES) {
    throw invalid(`model of ${bytes.length} bytes: at most ${MAX_EXTERNAL_MODEL_BYTES}`);
  }
  const sha256 = sha256Hex(bytes);
  const runId = externalRunId(dataset, sha256);
  const earlier = await registeredVersion(deps.pool, runId);
  if (earlier !== null) return answer(deps, dataset, earlier.version, sha256, false);

  let spec: Awaited<ReturnType<SpecStore["current"]>>;
  try {
    spec = await deps.specs.current(dataset);
  } catch (error) {
    if (error instanceof UnknownDatasetError) throw grpcError(GrpcStatus.NOT_FOUND, error.message);
    throw error;
  }
  let signature: Awaited<ReturnType<typeof checkOnnxSignature>>;
  try {
    signature = await checkOnnxSignature(bytes, spec.spec, preprocessing);
  } catch (error) {
    if (error instanceof OnnxSignatureError) throw invalid(error.message);
    throw error;
  }
  if (deps.trainer === null) {
    throw grpcError(GrpcStatus.UNAVAILABLE, "no trainer configured (TRAINER_GRPC_ADDR): nothing can score the model");
  }
  const registeredAt = new Date().toISOString();
  const artifactKey = externalArtifactKey(dataset, sha256);
  await saveExternalModel(deps.artifacts, artifactKey, bytes, {
    format: EXTERNAL_FORMAT,
    kind: "onnx",
    dataset,
    sha256,
    bytes: bytes.length,
    registeredBy: actor,
    registeredAt,
    reason,
    preprocessing,
    specRevision: spec.revision,
    ...signature,
  });
  const scored = await evaluate(deps.trainer, dataset, artifactKey, deps.evaluateDeadlineMs);
  const championVersion = Number(scored.champion_version);
  const trained: ModelTrained = {
    runId,
    dataset,
    metrics: scored.metrics,
    championMetrics: championVersion > 0 ? scored.champion_metrics : null,
    championVersion: championVersion > 0 ? championVersion : null,
    artifactKey,
    snapshot: {
      id: scored.snapshot_id,
      batches: scored.batches.map((batch) => ({ batchId: batch.batch_id, sha256: batch.sha256 })),
    },
    specRevision: Number(scored.spec_revision),
    backend: ONNX_BACKEND,
    codeVersion: scored.code_version || undefined,
    trigger: { reason: "external", eventIds: [] },
  };
  const origin: ExternalOrigin = { format: "onnx", sha256, registeredBy: actor, registeredAt, preprocessing };
  const policy = (await deps.specs.get(dataset, trained.specRevision)).spec.promotion;
  const registration = await registerVersion(deps.pool, trained, policy, origin);
  if (!registration.created) return answer(deps, dataset, registration.version, sha256, false);
  await publishDecision(deps.bus, deps.pool, registration.event);
  deps.metrics.versionsRegistered.inc({ [LABEL.dataset]: dataset });
  if (registration.promoted) countPromotion(deps.metrics, dataset, "policy", registration.version);
  else deps.metrics.rejections.inc({ [LABEL.dataset]: dataset });
  deps.log.info(
    {
      event: "version.registered",
      external: true,
      decision: registration.promoted ? "promoted" : "rejected",
      dataset,
      version: registration.version,
      runId,
      sha256,
      actor,
      reason: registration.reason,
    },
    "external model registered",
  );
  return answer(deps, dataset, registration.version, sha256, true);
}

async function answer(
  deps: ExternalRegistrationDeps,
  dataset: string,
  version: number,
  sha256: string,
  created: boolean,
): Promise<RegisterExternalModelResponse> {
  const lineage = await getLineage(deps.pool, dataset, version);
  return {
    dataset,
    version,
    promoted: lineage.decisionReason.startsWith("promoted"),
    decision_reason: lineage.decisionReason,
    sha256,
    artifact_key: lineage.artifactKey,
    metrics: lineage.metrics,
    compared_with_version: lineage.championVersion ?? 0,
    champion_metrics: lineage.championMetrics ?? {},
    created,
  };
}

function evaluate(
  trainer: TrainerClient,
  dataset: string,
  artifactKey: string,
  deadlineMs: number,
): Promise<EvaluateExternalModelResponse__Output> {
  return new Promise((resolve, reject) => {
    trainer.EvaluateExternalModel(
      { dataset, artifact_key: artifactKey },
      { deadline: new Date(Date.now() + deadlineMs) },
      (error, response) => {
        if (error || response === undefined) {
          const code = error?.code ?? GrpcStatus.INTERNAL;
          const passed =
            code === GrpcStatus.INVALID_ARGUMENT || code === GrpcStatus.INTERNAL ? GrpcStatus.INTERNAL : code;
          reject(grpcError(passed, `the trainer could not score the model: ${error?.details ?? "empty response"}`));
          return;
        }
        resolve(response);
      },
    );
  });
}
