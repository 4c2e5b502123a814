import { existsSync } from "node:fs";
import { join } from "node:path";
import type * as grpc from "@grpc/grpc-js";
import type { ArtifactStore } from "@gyre/artifacts";
import type { Bus } from "@gyre/bus";
import { maskUrlPasswords } from "@gyre/config/secrets";
import type {
  FeatureStoreClient,
  InferenceClient,
  ModelRegistryClient,
  MonitoringClient,
  ProtoPath,
  ProtoTypes,
  TrainerClient,
} from "@gyre/grpc";
import type { SpecStore } from "@gyre/spec";
import { type CliConfig, loadCliConfig, loadS3Config, resolveEnv } from "./config.ts";
import { type Endpoint, messageOf, NotAvailableError, START_INFRASTRUCTURE, UnreachableError } from "./failures.ts";
import { serviceEndpoint, type UnaryCalls, unaryCalls } from "./grpcCalls.ts";
import { type GrpcServiceName, grpcAddressVariable, REPO_ROOT } from "./layout.ts";

const CONNECT_TIMEOUT_MS = 5000;
/** The TLS files may come from `--tls-ca` and friends too (main.ts copies them to these variables). */
const CLIENT_TLS_NAMES = {
  GRPC_CLIENT_TLS_CA: "GRPC_CLIENT_TLS_CA (--tls-ca)",
  GRPC_CLIENT_TLS_CERT: "GRPC_CLIENT_TLS_CERT (--tls-cert)",
  GRPC_CLIENT_TLS_KEY: "GRPC_CLIENT_TLS_KEY (--tls-key)",
};

type Env = Record<string, string | undefined>;

/**
 * What one CLI invocation connects to, opened on first use and closed at the end. The client libraries are loaded
 * on first use too: a command pays only for what it talks to.
 */
export class Session {
  readonly env: Env;
  readonly config: CliConfig;
  #bus: Promise<Bus> | undefined;
  #specs: Promise<SpecStore> | undefined;
  readonly #clients: Promise<grpc.Client>[] = [];

  constructor(env: Env = process.env) {
    this.env = resolveEnv(env);
    this.config = loadCliConfig(this.env);
  }

  get namespace(): string {
    return this.config.GYRE_NAMESPACE;
  }

  natsEndpoint(): Endpoint {
    return {
      what: "NATS",
      address: maskUrlPasswords(this.config.NATS_URL),
      variable: "NATS_URL",
      howToStart: START_INFRASTRUCTURE,
    };
  }

  /** The namespace's bus; `provision` creates the streams if no service has yet (ingest publishes into them). */
  bus(options: { provision?: boolean } = {}): Promise<Bus> {
    this.#bus ??= this.#connect(options.provision ?? false);
    return this.#bus;
  }

  async #connect(provision: boolean): Promise<Bus> {
    const [{ connectBus }, { natsConnectOptions }] = await Promise.all([import("@gyre/bus"), import("@gyre/service")]);
    const config = this.config;
    const connecting = connectBus({
      servers: config.NATS_URL.split(",").map((server) => server.trim()),
      namespace: config.GYRE_NAMESPACE,
      name: `gyre-cli-${process.pid}`,
      provision,
      closeTimeoutMs: 2000,
      ...natsConnectOptions(config, config.GYRE_NAMESPACE, "gyre"),
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no connection within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
    });
    try {
      return await Promise.race([connecting, timeout]);
    } catch (error) {
      throw new UnreachableError(this.natsEndpoint(), messageOf(error));
    } finally {
      clearTimeout(timer);
    }
  }

  specs(): Promise<SpecStore> {
    this.#specs ??= (async () => {
      const [{ SpecStore }, bus] = await Promise.all([import("@gyre/spec"), this.bus()]);
      return SpecStore.open(bus.connection, this.namespace);
    })();
    return this.#specs;
  }

  /** The artifact store of S3_BUCKET, bucket ensured; the S3 variables are read here, not before. */
  async artifacts(): Promise<ArtifactStore> {
    const s3 = loadS3Config(this.env);
    const { createArtifactStore } = await import("@gyre/artifacts");
    const store = createArtifactStore({
      endpoint: s3.S3_ENDPOINT,
      accessKey: s3.S3_ACCESS_KEY,
      secretKey: s3.S3_SECRET_KEY,
      region: s3.S3_REGION,
      bucket: s3.S3_BUCKET,
    });
    try {
      await store.ensureBucket();
    } catch (error) {
      const endpoint = {
        what: "S3",
        address: s3.S3_ENDPOINT,
        variable: "S3_ENDPOINT",
        howToStart: START_INFRASTRUCTURE,
      };
      throw new UnreachableError(endpoint, messageOf(error));
    }
    return store;
  }

  grpcEndpoint(service: GrpcServiceName): Endpoint {
    const variable = grpcAddressVariable(service);
    return serviceEndpoint(service, this.config[variable] ?? "", variable);
  }

  registry(): UnaryCalls<ModelRegistryClient> {
    return this.#calls("registry", "registry/registry.proto", (proto) => proto.gyre.registry.v1.ModelRegistry);
  }

  featureStore(): UnaryCalls<FeatureStoreClient> {
    return this.#calls(
      "feature-store",
      "featurestore/feature_store.proto",
      (proto) => proto.gyre.featurestore.v1.FeatureStore,
    );
  }

  serving(): UnaryCalls<InferenceClient> {
    return this.#calls("serving", "inference/grpc_predict_v2.proto", (proto) => proto.inference.GRPCInferenceService);
  }

  monitoring(): UnaryCalls<MonitoringClient> {
    requireProto("monitoring/monitoring.proto", "the monitoring API");
    return this.#calls("monitoring", "monitoring/monitoring.proto", (proto) => proto.gyre.monitoring.v1.Monitoring);
  }

  trainer(): UnaryCalls<TrainerClient> {
    requireProto("trainer/trainer.proto", "the trainer API");
    return this.#calls("trainer", "trainer/trainer.proto", (proto) => proto.gyre.trainer.v1.Trainer);
  }

  #calls<P extends ProtoPath, C extends grpc.Client>(
    service: GrpcServiceName,
    path: P,
    clientOf: (proto: ProtoTypes[P]) => new (address: string, credentials: grpc.ChannelCredentials) => C,
  ): UnaryCalls<C> {
    const endpoint = this.grpcEndpoint(service);
    return unaryCalls(async () => {
      const { loadProto, grpcChannelCredentials } = await import("@gyre/grpc");
      const Client = clientOf(loadProto(path));
      const client = new Client(endpoint.address, grpcChannelCredentials(this.config, CLIENT_TLS_NAMES));
      this.#clients.push(Promise.resolve(client));
      return client;
    }, endpoint);
  }

  async close(): Promise<void> {
    for (const client of await Promise.all(this.#clients)) client.close();
    const bus = await this.#bus?.catch(() => undefined);
    await bus?.close().catch(() => undefined);
  }
}

/** Monitoring and trainer protos arrived after the CLI; a checkout without them gets a clear answer. */
function requireProto(path: string, what: string): void {
  if (!existsSync(join(REPO_ROOT, "proto", path))) {
    throw new NotAvailableError(`${what} is not available yet: proto/${path} is missing from this checkout`);
  }
}
