import type { ServingRole } from "@gyre/contracts";
import type { ModelInferRequest__Output, ModelInferResponse } from "@gyre/grpc";
import { ATTR } from "@gyre/telemetry";
import { trace } from "@opentelemetry/api";
import { computedInputOutputs, wantsComputedInputs } from "./computed-outputs.ts";
import { DeadlineExceededError, InferenceInputError, ModelNotFoundError } from "./errors.ts";
import { featureMatrix } from "./feature-matrix.ts";
import type { LoadedModel } from "./loaded-model.ts";
import type { ModelRepository } from "./model-repository.ts";
import type { PredictionLog } from "./prediction-log.ts";
import type { OnlineFeatures } from "./raw-request.ts";
import {
  type DecodedInputs,
  decodeInputs,
  decodeRequestFeatures,
  featuresFromRows,
  featuresOf,
  isRawRow,
  type RequestFeatures,
} from "./request-inputs.ts";
import { encodeResponse, requestedOutputs } from "./response-encoding.ts";
import { type RoutingSettings, routeToCanary } from "./routing-settings.ts";
import type { ServingMetrics } from "./serving-metrics.ts";
import type { ShadowMirror } from "./shadow-mirror.ts";

export interface InferDeps {
  repository: ModelRepository;
  /** Computes the inputs a raw request leaves out; without it, a request must carry every model input. */
  online?: OnlineFeatures;
  routing(dataset: string): RoutingSettings;
  predictionLog: PredictionLog;
  shadow: ShadowMirror;
  metrics: ServingMetrics;
}

/** What the handler knows of the call: when it must be answered by, and whether the client is still waiting. */
export interface CallState {
  /** Epoch milliseconds; Infinity without a deadline. */
  deadline: number;
  cancelled(): boolean;
}

/**
 * One ModelInfer: picks the model (the pinned version; else the champion, or the challenger for the canary share),
 * decodes and checks the inputs against its signature, runs them through the dynamic batcher, and answers; then,
 * off the request path, mirrors to the shadow challenger and logs the sampled request.
 */
export async function modelInfer(
  deps: InferDeps,
  request: ModelInferRequest__Output,
  call: CallState,
): Promise<{ response: ModelInferResponse; model: LoadedModel; role: ServingRole }> {
  const dataset = request.model_name;
  if (dataset === "") throw new InferenceInputError("model_name is empty: name the model (the dataset)");
  const settings = deps.routing(dataset);
  const { model, role } = await chooseModel(deps, dataset, request.model_version, settings, call);
  // The gRPC SERVER span of this call: which model and version answered.
  trace.getActiveSpan()?.setAttributes({ [ATTR.dataset]: dataset, [ATTR.modelVersion]: model.version });
  try {
    const signature = model.bundle.signature;
    const outputs = requestedOutputs(signature, request.outputs);
    const decoded = decodeInputs(request, signature);
    const features = isRawRow(decoded, signature)
      ? await computeInputs(deps, model, decoded)
      : featuresOf(decoded, signature);
    const x = featureMatrix(model.bundle.preprocessing, features);
    checkDeadline(call, dataset);
    const output = await model.batcher.infer(x, features.rows);
    const response = encodeResponse({
      modelName: dataset,
      modelVersion: model.versionText,
      id: request.id,
      rows: features.rows,
      output,
      outputs,
      raw: features.raw,
      extra: wantsComputedInputs(request) ? computedInputOutputs(signature, features) : [],
    });
    deps.metrics.routed.inc({ dataset, role });

    const logged = deps.predictionLog.sampled()
      ? { requestId: deps.predictionLog.requestId(request.id), at: new Date().toISOString() }
      : undefined;
    if (logged) deps.predictionLog.add(dataset, model.version, role, { ...logged, signature, features, output });
    const challenger = deps.repository.challenger(dataset);
    if (settings.shadow && role === "champion" && challenger && challenger !== model) {
      deps.shadow.mirror({
        dataset,
        challenger,
        rows: features.rows,
        input: () => {
          const own = challenger.bundle.signature;
          const challengerFeatures =
            own === signature
              ? features
              : features.computedRows
                ? featuresFromRows(features.computedRows, own, features.raw)
                : decodeRequestFeatures(request, own);
          return featureMatrix(challenger.bundle.preprocessing, challengerFeatures);
        },
        championOutput: output,
        ...(logged
          ? {
              onAnswer: (shadowOutput) =>
                deps.predictionLog.add(dataset, challenger.version, "shadow", {
                  ...logged,
                  signature: challenger.bundle.signature,
                  features,
                  output: shadowOutput,
                }),
            }
          : {}),
      });
    }
    return { response, model, role };
  } finally {
    model.release();
  }
}

async function computeInputs(deps: InferDeps, model: LoadedModel, decoded: DecodedInputs): Promise<RequestFeatures> {
  const form = await deps.online?.form(model).catch(() => undefined);
  // Without the model's spec nothing can be computed: the request is taken as it is (and its problems named).
  if (!deps.online || !form) return featuresOf(decoded, model.bundle.signature);
  const { features, rows } = await deps.online.compute(model, decoded, Date.now());
  return { ...features, computedRows: rows };
}

async function chooseModel(
  deps: InferDeps,
  dataset: string,
  versionText: string,
  settings: RoutingSettings,
  call: CallState,
): Promise<{ model: LoadedModel; role: ServingRole }> {
  const { repository } = deps;
  if (versionText === "") {
    const champion = repository.champion(dataset);
    if (!champion) {
      throw new ModelNotFoundError(
        `model "${dataset}" has no champion loaded (models: ${repository.datasets().join(", ") || "none"})`,
      );
    }
    const challenger = repository.challenger(dataset);
    if (challenger && routeToCanary(settings, true)) return { model: challenger.acquire(), role: "canary" };
    return { model: champion.acquire(), role: "champion" };
  }
  const version = Number(versionText);
  if (!/^[1-9][0-9]{0,15}$/.test(versionText)) {
    throw new ModelNotFoundError(
      `model "${dataset}" has no version "${versionText}": versions are whole numbers from 1`,
    );
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    const model = await withDeadline(repository.version(dataset, version), call, dataset);
    // A swap may have retired it while this call waited; look again.
    if (model.retired) continue;
    const role: ServingRole = repository.champion(dataset) === model ? "champion" : "challenger";
    return { model: model.acquire(), role };
  }
  throw new ModelNotFoundError(`model "${dataset}" version ${version} was unloaded while the request waited; retry`);
}

function checkDeadline(call: CallState, dataset: string): void {
  if (call.cancelled()) throw new DeadlineExceededError(`model "${dataset}": the call was cancelled before inference`);
  if (Date.now() >= call.deadline) {
    throw new DeadlineExceededError(`model "${dataset}": the deadline passed before inference`);
  }
}

async function withDeadline<T>(work: Promise<T>, call: CallState, dataset: string): Promise<T> {
  if (!Number.isFinite(call.deadline)) return work;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DeadlineExceededError(`model "${dataset}": the deadline passed while the model was loading`)),
      Math.max(0, call.deadline - Date.now()),
    );
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
