import type * as grpc from "@grpc/grpc-js";
import { GrpcStatus, type InferenceHandlers, type ModelMetadataResponse } from "@gyre/grpc";
import type { Logger } from "@gyre/log";
import { isOnnxBundle } from "@gyre/model";
import { LABEL } from "@gyre/telemetry";
import { grpcStatusOf, InferenceInputError, ModelNotFoundError } from "./errors.ts";
import type { LoadedModel } from "./loaded-model.ts";
import { type InferDeps, modelInfer } from "./model-infer.ts";
import { type RawForm, rawDatatype } from "./raw-request.ts";
import { datatypeOf } from "./request-inputs.ts";
import { outputNames } from "./response-encoding.ts";

export interface InferenceServiceDeps extends InferDeps {
  log: Logger;
  /** True once the first load of the champions has finished. */
  ready(): boolean;
  serverVersion: string;
}

export const SERVER_NAME = "gyre-serving";
/** What ModelMetadata gives as `platform`: a TensorFlow.js layers model, or Triton's name for an ONNX one. */
export const PLATFORM = "tensorflowjs_layers";
export const ONNX_PLATFORM = "onnxruntime_onnx";

/** The KServe v2 GRPCInferenceService: ServerLive, ServerReady, ModelReady, ServerMetadata, ModelMetadata, ModelInfer. */
export function inferenceHandlers(deps: InferenceServiceDeps): InferenceHandlers {
  const { repository, metrics } = deps;
  const fail = (method: string, error: unknown, callback: (error: grpc.ServiceError) => void) => {
    const status = grpcStatusOf(error);
    metrics.errors.inc({
      [LABEL.grpcMethod]: method,
      [LABEL.grpcCode]: GrpcStatus[status.code] ?? String(status.code),
    });
    if (status.code === GrpcStatus.INTERNAL || status.code === GrpcStatus.UNAVAILABLE) {
      deps.log.error({ event: "grpc.call_failed", method, code: GrpcStatus[status.code], err: error }, "call failed");
    }
    callback(status);
  };

  return {
    ServerLive: (_call, callback) => callback(null, { live: true }),
    ServerReady: (_call, callback) => callback(null, { ready: deps.ready() }),
    ModelReady: (call, callback) => {
      const { name, version } = call.request;
      const model = version === "" ? repository.champion(name) : repository.loaded(name, Number(version));
      callback(null, { ready: model !== undefined && !model.retired });
    },
    ServerMetadata: (_call, callback) =>
      callback(null, { name: SERVER_NAME, version: deps.serverVersion, extensions: [] }),
    ModelMetadata: (call, callback) => {
      void modelForMetadata(deps, call.request.name, call.request.version).then(
        async (model) => {
          const form = await deps.online?.form(model).catch(() => undefined);
          callback(null, modelMetadata(model, repository.loadedVersions(model.dataset), form));
        },
        (error: unknown) => fail("ModelMetadata", error, callback),
      );
    },
    ModelInfer: (call, callback) => {
      const started = process.hrtime.bigint();
      const deadline = call.getDeadline();
      const state = {
        deadline: deadline instanceof Date ? deadline.getTime() : deadline,
        cancelled: () => call.cancelled,
      };
      modelInfer(deps, call.request, state).then(
        ({ response, model, role }) => {
          callback(null, response);
          metrics.requestDuration.observe(
            { [LABEL.dataset]: model.dataset, [LABEL.modelVersion]: model.versionText, role },
            Number(process.hrtime.bigint() - started) / 1e9,
          );
        },
        (error: unknown) => fail("ModelInfer", error, callback),
      );
    },
  };
}

async function modelForMetadata(deps: InferDeps, name: string, version: string): Promise<LoadedModel> {
  if (name === "") throw new InferenceInputError("name is empty: name the model (the dataset)");
  if (version === "") {
    const champion = deps.repository.champion(name);
    if (!champion) throw new ModelNotFoundError(`model "${name}" has no champion loaded`);
    return champion;
  }
  if (!/^[1-9][0-9]{0,15}$/.test(version)) {
    throw new ModelNotFoundError(`model "${name}" has no version "${version}": versions are whole numbers from 1`);
  }
  return deps.repository.version(name, Number(version));
}

/**
 * The model's inputs one per feature (the per-feature form; each with its role: "required" for a feature of the
 * spec, "computed" for a transform output serving computes when it is left out), outputs as ModelInfer gives them;
 * -1 is the batch dimension. With the model's spec (`form`), the `raw_inputs` parameter lists what a raw request
 * carries.
 */
export function modelMetadata(
  model: LoadedModel,
  versions: readonly number[],
  form?: RawForm | undefined,
): ModelMetadataResponse {
  const { signature } = model.bundle;
  const output = signature.output;
  const computed = new Set(form?.computed.map((column) => column.name));
  return {
    name: model.dataset,
    versions: versions.map(String),
    platform: isOnnxBundle(model.bundle) ? ONNX_PLATFORM : PLATFORM,
    inputs: signature.inputs.map((input) => ({
      name: input.name,
      datatype: datatypeOf(input),
      shape: [-1],
      ...(form ? { parameters: { role: { string_param: computed.has(input.name) ? "computed" : "required" } } } : {}),
    })),
    ...(form ? { parameters: { raw_inputs: { string_param: JSON.stringify(rawInputs(form)) } } } : {}),
    outputs: outputNames(signature).map((name) => {
      if (output.kind === "classification" && name === "probabilities") {
        return { name, datatype: "FP32", shape: [-1, output.classes.length] };
      }
      return { name, datatype: name === "label" ? "BYTES" : "FP32", shape: [-1] };
    }),
  };
}

/** What a raw request carries, for ModelMetadata's `raw_inputs`. */
export function rawInputs(form: RawForm): { name: string; datatype: string; role: string }[] {
  return [
    ...form.required.map((column) => ({
      name: column.name,
      datatype: rawDatatype(column),
      role: column.name === form.spec.eventTime ? "optional" : "required",
    })),
    ...form.computed.map((column) => ({ name: column.name, datatype: rawDatatype(column), role: "computed" })),
  ];
}
