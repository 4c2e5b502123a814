import { setTimeout as sleep } from "node:timers/promises";
import * as grpc from "@grpc/grpc-js";
import type { ArtifactStore } from "@gyre/artifacts";
import { type GetChampionResponse__Output, GrpcStatus, loadProto, type ModelRegistryClient } from "@gyre/grpc";
import {
  type AnyBundle,
  ArtifactCorruptError,
  ArtifactMissingError,
  disposeAnyBundle,
  evaluateAny,
  type FeatureRow,
  loadAnyBundle,
} from "@gyre/model";
import type { Metrics } from "./runRecords.ts";

const CALL_DEADLINE_MS = 10_000;
const REGISTERED_POLL_MS = 250;

export interface ChampionRef {
  version: number;
  artifactKey: string;
}

/** The champion could not be scored: its artifact is missing or corrupt, or it cannot read the holdout. */
export class ChampionUnusableError extends Error {
  override name = "ChampionUnusableError";
  constructor(
    readonly dataset: string,
    readonly version: number,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`champion version ${version} of dataset "${dataset}" cannot be evaluated: ${reason}`, options);
  }
}

export function registryClient(
  address: string,
  credentials: grpc.ChannelCredentials = grpc.credentials.createInsecure(),
): ModelRegistryClient {
  const { ModelRegistry } = loadProto("registry/registry.proto").gyre.registry.v1;
  return new ModelRegistry(address, credentials);
}

function unary<Response>(
  call: (deadline: grpc.CallOptions, callback: (error: grpc.ServiceError | null, response?: Response) => void) => void,
): Promise<Response> {
  return new Promise((resolve, reject) =>
    call({ deadline: new Date(Date.now() + CALL_DEADLINE_MS) }, (error, response) =>
      error || response === undefined ? reject(error ?? new Error("empty gRPC response")) : resolve(response),
    ),
  );
}

const isNotFound = (error: unknown) => (error as grpc.ServiceError | null)?.code === GrpcStatus.NOT_FOUND;

/** The registry's champion of the dataset; null when it has none (NOT_FOUND). */
export async function championOf(client: ModelRegistryClient, dataset: string): Promise<ChampionRef | null> {
  try {
    const champion = await unary<GetChampionResponse__Output>((options, callback) =>
      client.GetChampion({ dataset }, options, callback),
    );
    return { version: Number(champion.version), artifactKey: champion.artifact_key };
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/**
 * Waits until the registry has taken in run `runId` (registered or refused it), at most `timeoutMs`; false on
 * timeout. A follow-up run asks for the champion only after the registry decided on the previous run, so it
 * compares with the champion the registry will hold when it decides on the follow-up.
 */
export async function awaitRegistered(client: ModelRegistryClient, runId: string, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      await unary((options, callback) => client.GetRun({ run_id: runId }, options, callback));
      return true;
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    if (performance.now() >= deadline) return false;
    await sleep(REGISTERED_POLL_MS);
  }
}

/** Loads the champion's bundle (tfjs, or an external ONNX model) and scores it on the candidate's holdout rows. */
export async function evaluateChampion(
  store: ArtifactStore,
  dataset: string,
  champion: ChampionRef,
  holdoutRows: readonly FeatureRow[],
): Promise<Metrics> {
  let bundle: AnyBundle;
  try {
    bundle = await loadAnyBundle(store, champion.artifactKey);
  } catch (error) {
    // Anything else (S3 unreachable, say) is no verdict on the artifact: the run fails transiently and is retried.
    if (!(error instanceof ArtifactMissingError || error instanceof ArtifactCorruptError)) throw error;
    throw new ChampionUnusableError(dataset, champion.version, error.message, { cause: error });
  }
  try {
    return finiteMetrics((await evaluateAny(bundle, holdoutRows)).metrics);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ChampionUnusableError(dataset, champion.version, reason, { cause: error });
  } finally {
    disposeAnyBundle(bundle);
  }
}

/** Metrics as events carry them: finite numbers only (roc_auc is absent for more than two classes, say). */
export function finiteMetrics(metrics: Readonly<Record<string, number | undefined>>): Metrics {
  return Object.fromEntries(
    Object.entries(metrics).filter((entry): entry is [string, number] => Number.isFinite(entry[1])),
  );
}
