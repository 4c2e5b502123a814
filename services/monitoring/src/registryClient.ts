import * as grpc from "@grpc/grpc-js";
import {
  type GetChampionResponse__Output,
  GrpcStatus,
  type Lineage__Output,
  loadProto,
  type ModelRegistryClient,
  type Run__Output,
} from "@gyre/grpc";

const CALL_DEADLINE_MS = 10_000;

export interface RegistryChampion {
  dataset: string;
  version: number;
  artifactKey: string;
  runId: string;
  metrics: Record<string, number>;
}

export interface RunTrigger {
  reason: string;
  eventIds: string[];
}

/** What monitoring asks the registry: the champions, and the trigger of the run behind a promotion. */
export interface RegistryClient {
  /** Datasets whose registry model has a champion. */
  datasetsWithChampion(): Promise<string[]>;
  /** The current champion; null when the dataset has none. */
  champion(dataset: string): Promise<RegistryChampion | null>;
  /** The batch ids of the training snapshot behind a version (its lineage). */
  trainedBatchIds(dataset: string, version: number): Promise<string[]>;
  /** The trigger the registry recorded for a run; null when it does not know the run. */
  runTrigger(runId: string): Promise<RunTrigger | null>;
  close(): void;
}

export function connectRegistry(
  address: string,
  credentials: grpc.ChannelCredentials = grpc.credentials.createInsecure(),
): RegistryClient {
  const Registry = loadProto("registry/registry.proto").gyre.registry.v1.ModelRegistry;
  const client = new Registry(address, credentials);
  const call = <Request, Response>(method: keyof ModelRegistryClient, request: Request) =>
    new Promise<Response>((resolve, reject) => {
      const unary = client[method] as unknown as (
        request: Request,
        options: grpc.CallOptions,
        callback: (error: grpc.ServiceError | null, response?: Response) => void,
      ) => void;
      unary.call(client, request, { deadline: Date.now() + CALL_DEADLINE_MS }, (error, response) => {
        if (error) reject(new RegistryCallError(String(method), address, error));
        else resolve(response as Response);
      });
    });
  const notFoundAsNull = <T>(promise: Promise<T>): Promise<T | null> =>
    promise.catch((error: unknown) => {
      if (error instanceof RegistryCallError && error.code === GrpcStatus.NOT_FOUND) return null;
      throw error;
    });

  return {
    async datasetsWithChampion() {
      const response = await call<object, { models: { dataset: string; champion_version: string }[] }>(
        "ListModels",
        {},
      );
      return response.models.filter((model) => Number(model.champion_version) > 0).map((model) => model.dataset);
    },
    async champion(dataset) {
      const response = await notFoundAsNull(call<object, GetChampionResponse__Output>("GetChampion", { dataset }));
      if (response === null) return null;
      return {
        dataset,
        version: Number(response.version),
        artifactKey: response.artifact_key,
        runId: response.run_id,
        metrics: { ...response.metrics },
      };
    },
    async trainedBatchIds(dataset, version) {
      const lineage = await call<object, Lineage__Output>("GetLineage", { dataset, version });
      return lineage.batches.map((batch) => batch.batch_id);
    },
    async runTrigger(runId) {
      const run = await notFoundAsNull(call<object, Run__Output>("GetRun", { run_id: runId }));
      if (run === null || run.trigger === null) return null;
      return { reason: run.trigger.reason, eventIds: [...run.trigger.event_ids] };
    },
    close: () => client.close(),
  };
}

/** A failed registry call, naming the method, the address and the gRPC status. */
export class RegistryCallError extends Error {
  override name = "RegistryCallError";
  readonly code: grpc.status;
  constructor(method: string, address: string, cause: grpc.ServiceError) {
    super(`registry ${method} at ${address} failed: ${GrpcStatus[cause.code]} ${cause.details}`, { cause });
    this.code = cause.code;
  }
}
