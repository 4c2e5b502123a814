import assert from "node:assert/strict";
import * as grpc from "@grpc/grpc-js";
import { type ArtifactStore, createArtifactStore } from "@gyre/artifacts";
import { type Bus, connectBus, deleteStreams } from "@gyre/bus";
import { type CloudEvent, type ModelPromoted, newEvent, type PredictionsLogged } from "@gyre/contracts";
import { dropSchema } from "@gyre/db";
import {
  type InferenceClient,
  loadProto,
  type ModelInferRequest,
  type ModelInferResponse__Output,
  type ModelRegistryClient,
} from "@gyre/grpc";
import {
  checkOnnxSignature,
  completeExternalBundle,
  EXTERNAL_FORMAT,
  type ExternalModelInfo,
  type ExternalPreprocessing,
  externalArtifactKey,
  externalRunId,
  type FeatureRow,
  type ModelBundle,
  ONNX_BACKEND,
  saveBundle,
  saveExternalModel,
  selectBackend,
  sha256Hex,
} from "@gyre/model";
import { serviceSchema } from "@gyre/service";
import { type DatasetSpec, SpecStore } from "@gyre/spec";
import { type Infra, infraFromEnv, type RunningService, serviceEnv, startService, uniqueId } from "@gyre/testkit";
import { trainModel } from "@gyre/trainer";
import { seattleWeatherRows, seattleWeatherSpec, timeSplit, withModel } from "../../trainer/test/seattle-weather.ts";
import { RoutingSettingsStore } from "../src/routing-settings.ts";

export type Decision = CloudEvent<ModelPromoted> & { type: "model.promoted" | "model.rejected" };

export interface RegisteredModel {
  dataset: string;
  version: number;
  runId: string;
  bundle: ModelBundle;
  decision: Decision;
}

/** seattle-weather with two more features, so every input kind is exercised: a category and a boolean. */
export function mixedSpec(name = "weather-mixed"): DatasetSpec {
  const spec = seattleWeatherSpec();
  return {
    ...spec,
    name,
    features: [
      ...spec.features,
      { name: "season", type: "categorical", nullable: false, categories: ["winter", "spring", "summer", "autumn"] },
      { name: "wet", type: "boolean", nullable: false },
    ] as DatasetSpec["features"],
  };
}

export function mixedRows(): FeatureRow[] {
  const seasons = [
    "winter",
    "winter",
    "spring",
    "spring",
    "spring",
    "summer",
    "summer",
    "summer",
    "autumn",
    "autumn",
    "autumn",
    "winter",
  ];
  return seattleWeatherRows().map((row) => ({
    ...row,
    season: seasons[(row.month as number) - 1],
    wet: (row.precipitation as number) > 0,
  }));
}

/**
 * One namespace, bucket and registry schema per test file; a real registry process; model bundles trained here with
 * the trainer's own code, saved to S3 and announced with model.trained so the registry registers and promotes them.
 * A probe consumer collects model decisions and predictions.logged.
 */
export class ServingHarness {
  readonly infra: Infra = infraFromEnv();
  readonly namespace = uniqueId("srv");
  readonly bucket = `gyre-${this.namespace}`;
  readonly decisions: Decision[] = [];
  readonly predictionLogs: CloudEvent<PredictionsLogged>[] = [];
  readonly services: RunningService[] = [];
  readonly clients: grpc.Client[] = [];
  bus!: Bus;
  specs!: SpecStore;
  store!: ArtifactStore;
  routing!: RoutingSettingsStore;
  registry!: RunningService;
  registryClient!: ModelRegistryClient;
  registryPort = 0;
  readonly #revisions = new Map<string, number>();

  async start(specs: readonly DatasetSpec[]): Promise<void> {
    await selectBackend(process.env.TFJS_BACKEND);
    this.bus = await connectBus({
      servers: this.infra.natsUrl,
      namespace: this.namespace,
      name: `${this.namespace}-test`,
    });
    this.specs = await SpecStore.open(this.bus.connection, this.namespace);
    this.routing = await RoutingSettingsStore.open(this.bus.connection, this.namespace);
    for (const spec of specs) this.#revisions.set(spec.name, (await this.specs.apply(spec)).revision);
    this.store = createArtifactStore({ ...this.infra.s3, bucket: this.bucket });
    await this.store.ensureBucket();
    await this.bus.consume({
      service: "probe",
      events: ["model.promoted", "model.rejected", "predictions.logged"],
      concurrency: 8,
      handler: (event: CloudEvent) => {
        if (event.type === "predictions.logged") this.predictionLogs.push(event as CloudEvent<PredictionsLogged>);
        else this.decisions.push(event as Decision);
      },
    });
    const env = { ...serviceEnv(this.infra, this.namespace, this.bucket), REGISTRY_GRPC_PORT: "0", LOG_LEVEL: "info" };
    this.registry = await startService("registry", env);
    this.services.push(this.registry);
    const listening = await this.registry.waitForLog((line) => line.event === "grpc.listening");
    this.registryPort = Number(listening.port);
    const Registry = loadProto("registry/registry.proto").gyre.registry.v1.ModelRegistry;
    this.registryClient = new Registry(`127.0.0.1:${this.registryPort}`, grpc.credentials.createInsecure());
    this.clients.push(this.registryClient);
  }

  /**
   * Trains a small model on the rows (the latest 20% as holdout), saves the bundle, and publishes model.trained.
   * `outcome` steers the registry's policy through the champion metrics the event reports: "promoted" claims a
   * champion that does worse, "rejected" one that does better.
   */
  async trainAndRegister(
    spec: DatasetSpec,
    rows: FeatureRow[],
    options: { seed: number; epochs?: number; outcome: "promoted" | "rejected"; championVersion?: number | null },
  ): Promise<RegisteredModel> {
    const { trainRows, holdoutRows } = timeSplit(rows);
    const runId = uniqueId("run");
    const trained = await trainModel({
      spec: withModel(spec, { epochs: options.epochs ?? 3 }),
      trainRows,
      holdoutRows,
      seed: options.seed,
      run: { runId, specRevision: this.revision(spec.name), snapshotId: `snap-${runId}` },
    });
    const artifactKey = `models/${spec.name}/${runId}`;
    await saveBundle(this.store, artifactKey, trained.bundle);
    const championVersion = options.championVersion ?? null;
    const claimed =
      options.outcome === "promoted"
        ? { accuracy: 0, log_loss: 99, macro_f1: 0 }
        : { accuracy: 1, log_loss: 0, macro_f1: 1 };
    const event = newEvent("model.trained", "serving-test", {
      runId,
      dataset: spec.name,
      metrics: { ...trained.metrics },
      championMetrics: championVersion === null ? null : claimed,
      championVersion,
      artifactKey,
      snapshot: { id: `snap-${runId}`, batches: [{ batchId: `b-${runId}`, sha256: "0".repeat(64) }] },
      specRevision: this.revision(spec.name),
      backend: trained.backend,
      trigger: { reason: "manual", eventIds: [] },
    });
    await this.bus.publish(event, spec.name);
    const decision = await this.until(`the registry's decision on run ${runId}`, 20_000, () =>
      this.decisions.find((entry) => entry.data.runId === runId),
    );
    if (decision.type !== `model.${options.outcome}`) {
      throw new Error(`run ${runId}: expected model.${options.outcome}, got ${decision.type}: ${decision.data.reason}`);
    }
    return { dataset: spec.name, version: decision.data.version, runId, bundle: trained.bundle, decision };
  }

  /**
   * An external ONNX model as the registry stores it (signature checked) and the trainer completes it (preprocessing
   * fitted on `trainRows` for "gyre"), announced as the registry announces it; answers the registry's decision.
   */
  async registerExternal(
    spec: DatasetSpec,
    onnxFile: Buffer,
    preprocessing: ExternalPreprocessing,
    trainRows: readonly FeatureRow[],
    championVersion: number | null,
  ): Promise<{ artifactKey: string; runId: string; decision: Decision }> {
    const dataset = spec.name;
    const sha256 = sha256Hex(onnxFile);
    const artifactKey = externalArtifactKey(dataset, sha256);
    const external: ExternalModelInfo = {
      format: EXTERNAL_FORMAT,
      kind: "onnx",
      dataset,
      sha256,
      bytes: onnxFile.length,
      registeredBy: "serving-test",
      registeredAt: new Date().toISOString(),
      reason: "",
      preprocessing,
      specRevision: this.revision(dataset),
      ...(await checkOnnxSignature(onnxFile, spec, preprocessing)),
    };
    await saveExternalModel(this.store, artifactKey, onnxFile, external);
    const metrics = { accuracy: 0.5, log_loss: 1 };
    const snapshotId = `snap-${sha256.slice(0, 12)}`;
    await completeExternalBundle(this.store, artifactKey, spec, external, {
      trainRows,
      holdoutRows: 0,
      snapshotId,
      codeVersion: "test",
      metrics,
    });
    const runId = externalRunId(dataset, sha256);
    await this.bus.publish(
      newEvent("model.trained", "serving-test", {
        runId,
        dataset,
        metrics,
        championMetrics: championVersion === null ? null : { accuracy: 1, log_loss: 0 },
        championVersion,
        artifactKey,
        snapshot: { id: snapshotId, batches: [{ batchId: `b-${snapshotId}`, sha256: "0".repeat(64) }] },
        specRevision: this.revision(dataset),
        backend: ONNX_BACKEND,
        trigger: { reason: "external", eventIds: [] },
      }),
      dataset,
    );
    const decision = await this.until("the registry's decision on the ONNX model", 20_000, () =>
      this.decisions.find((entry) => entry.data.runId === runId),
    );
    return { artifactKey, runId, decision };
  }

  revision(dataset: string): number {
    const revision = this.#revisions.get(dataset);
    if (revision === undefined) throw new Error(`no spec applied for "${dataset}"`);
    return revision;
  }

  /** Promotes a version by hand through the registry's Promote RPC; the registry publishes model.promoted. */
  promote(dataset: string, version: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.registryClient.Promote({ dataset, version, actor: "serving-test", reason: "test promotion" }, (error) =>
        error ? reject(error) : resolve(),
      );
    });
  }

  async startServing(env: NodeJS.ProcessEnv = {}): Promise<ServingProcess> {
    const service = await startService("serving", {
      ...serviceEnv(this.infra, this.namespace, this.bucket),
      REGISTRY_GRPC_ADDR: `127.0.0.1:${this.registryPort}`,
      SERVING_GRPC_PORT: "0",
      SERVING_LOG_FLUSH_INTERVAL: "200ms",
      LOG_LEVEL: "info",
      ...env,
    });
    this.services.push(service);
    const listening = await service.waitForLog((line) => line.event === "grpc.listening");
    const ops = await service.waitForLog((line) => line.event === "service.ops_listening");
    const client = inferenceClient(`127.0.0.1:${String(listening.port)}`);
    this.clients.push(client);
    return { service, client, port: Number(listening.port), metricsPort: Number(ops.port) };
  }

  until<T>(what: string, timeoutMs: number, find: () => T | undefined): Promise<T> {
    return poll(what, timeoutMs, async () => find());
  }

  async cleanup(): Promise<void> {
    for (const client of this.clients) client.close();
    await Promise.all(this.services.map((service) => service.stop()));
    if (this.bus) {
      await deleteStreams(this.bus);
      await this.specs?.destroy();
      await this.routing?.destroy();
      await this.bus.close();
    }
    await dropSchema(this.infra.databaseUrl, serviceSchema(this.namespace, "registry"));
    await this.store?.removeBucket(true);
  }
}

export interface ServingProcess {
  service: RunningService;
  client: InferenceClient;
  port: number;
  metricsPort: number;
}

export function inferenceClient(
  address: string,
  credentials = grpc.credentials.createInsecure(),
  options: grpc.ClientOptions = {},
): InferenceClient {
  const Inference = loadProto("inference/grpc_predict_v2.proto").inference.GRPCInferenceService;
  return new Inference(address, credentials, options);
}

/** ModelInfer as a promise; a failed call rejects with the grpc ServiceError. */
/** Rows `start` to `start + count` of PyTorch's probabilities, against an answer's: equal within 1e-5. */
export function assertPyTorch(
  torchRows: readonly number[][],
  probabilities: ArrayLike<number>,
  start = 0,
  count = torchRows.length,
): void {
  const torch = torchRows.slice(start, start + count).flat();
  assert.equal(probabilities.length, torch.length);
  const worst = Math.max(...torch.map((value, index) => Math.abs((probabilities[index] as number) - value)));
  assert.ok(worst <= 1e-5, `largest difference from PyTorch: ${worst}`);
}

export const probabilitiesOf = (response: ModelInferResponse__Output): number[] =>
  response.outputs.find((output) => output.name === "probabilities")?.contents?.fp32_contents ?? [];

export function infer(
  client: InferenceClient,
  request: ModelInferRequest,
  options: grpc.CallOptions = {},
): Promise<ModelInferResponse__Output> {
  return new Promise((resolve, reject) => {
    client.ModelInfer(request, new grpc.Metadata(), options, (error, response) => {
      if (error || !response) reject(error ?? new Error("no response"));
      else resolve(response);
    });
  });
}

/** Any unary method of the client as a promise. */
export function unary<Response>(
  client: InferenceClient,
  method: keyof InferenceClient,
  request: unknown,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const call = client[method] as unknown as (
      request: unknown,
      callback: (error: grpc.ServiceError | null, response: Response) => void,
    ) => void;
    call.call(client, request, (error, response) => (error ? reject(error) : resolve(response)));
  });
}

export async function poll<T>(what: string, timeoutMs: number, find: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function scrape(metricsPort: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
  return response.text();
}

/** The value of one metric series (name and labels as they appear in the exposition), summed over matches. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) continue;
    total += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return total;
}
