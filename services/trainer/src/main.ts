import { fileURLToPath } from "node:url";
import { databaseEnv, duration, grpcTlsEnv, integer, port, s3Env, text } from "@gyre/config";
import {
  createGrpcServer,
  grpcChannelCredentials,
  grpcServerCredentials,
  listen,
  loadProto,
  serverTlsMode,
  shutdown,
} from "@gyre/grpc";
import { selectBackend } from "@gyre/model";
import { runService } from "@gyre/service";
import { SpecStore } from "@gyre/spec";
import { registryClient } from "./champion.ts";
import { codeVersion } from "./code-version.ts";
import { trainerMetrics } from "./metrics.ts";
import { TrainingRunner } from "./runner.ts";
import { trainerHandlers } from "./trainerRpc.ts";
import { triggerHandler } from "./triggerHandler.ts";

const PROTO = "trainer/trainer.proto";
const GRPC_DRAIN_MS = 5000;

await runService({
  name: "trainer",
  env: {
    ...databaseEnv,
    ...s3Env,
    ...grpcTlsEnv,
    /** tensorflow, wasm or cpu; unset: tfjs-node where installed, else wasm, else cpu. */
    TFJS_BACKEND: text().optional(),
    FEATURE_STORE_GRPC_ADDR: text("expected host:port").default("127.0.0.1:50052"),
    REGISTRY_GRPC_ADDR: text("expected host:port").default("127.0.0.1:50053"),
    TRAINER_GRPC_HOST: text().default("0.0.0.0"),
    /** 0 lets the OS choose (tests); the bound port is logged as grpc.listening. */
    TRAINER_GRPC_PORT: port().default(50054),
    /** How often each replica looks for work nobody is doing (pending triggers, runs of a dead trainer). */
    TRAINER_SWEEP_INTERVAL: duration().default(30_000),
    TRAINER_EXPORT_TIMEOUT: duration().default(600_000),
    /** How long a run waits for the registry to take in the dataset's previous run before scoring the champion. */
    TRAINER_REGISTRY_WAIT: duration().default(30_000),
    /** How long ReproduceRun waits for a run of the same dataset to finish. */
    TRAINER_REPRODUCE_LOCK_TIMEOUT: duration().default(300_000),
    /** How long a drift of a window of batches waits for their features.updated, to train on them in one run. */
    TRAINER_DRIFT_WAIT: duration().default(60_000),
    /** Trigger events handled at once per process (recording is quick; training runs in the background). */
    TRAINER_CONCURRENCY: integer({ min: 1, max: 64 }).default(8),
  },
  defaultMetricsPort: 9464,
  async start(ctx) {
    const { config, bus, log } = ctx;
    const backend = await selectBackend(config.TFJS_BACKEND);
    const version = codeVersion();
    log.info(
      { event: "tfjs.backend", backend: backend.name, tfjsVersion: backend.tfjsVersion, skipped: backend.skipped },
      "TensorFlow.js backend chosen",
    );
    const pool = await ctx.database({
      connectionString: config.DATABASE_URL,
      migrationsDir: fileURLToPath(new URL("../migrations", import.meta.url)),
    });
    const store = await ctx.artifacts({
      endpoint: config.S3_ENDPOINT,
      accessKey: config.S3_ACCESS_KEY,
      secretKey: config.S3_SECRET_KEY,
      region: config.S3_REGION,
      bucket: config.S3_BUCKET,
    });
    const specs = await SpecStore.open(bus.connection, ctx.namespace);
    const { FeatureStore } = loadProto("featurestore/feature_store.proto").gyre.featurestore.v1;
    const clientCredentials = grpcChannelCredentials(config);
    const featureStore = new FeatureStore(config.FEATURE_STORE_GRPC_ADDR, clientCredentials);
    const registry = registryClient(config.REGISTRY_GRPC_ADDR, clientCredentials);
    const metrics = trainerMetrics(ctx.metrics);

    const runner = new TrainingRunner({
      pool,
      bus,
      store,
      featureStore,
      registry,
      log,
      metrics,
      specs,
      databaseUrl: config.DATABASE_URL,
      namespace: ctx.namespace,
      environment: { codeVersion: version, backend: backend.name, tfjsVersion: backend.tfjsVersion },
      exportDeadlineMs: config.TRAINER_EXPORT_TIMEOUT,
      registryWaitMs: config.TRAINER_REGISTRY_WAIT,
      sweepIntervalMs: config.TRAINER_SWEEP_INTERVAL,
    });
    // Shutdown steps run in reverse: the gRPC server stops, then the runs in progress finish, then the clients close.
    ctx.onShutdown(() => {
      featureStore.close();
      registry.close();
    });
    ctx.onShutdown(() => runner.stop());
    // No new run once asked to stop; runs in progress finish (runService drains the consumers before closing NATS).
    process.once("SIGTERM", () => runner.beginStop());
    process.once("SIGINT", () => runner.beginStop());

    const server = createGrpcServer({ protos: [PROTO] });
    server.server.addService(
      loadProto(PROTO).gyre.trainer.v1.Trainer.service,
      trainerHandlers(runner, { reproduceLockTimeoutMs: config.TRAINER_REPRODUCE_LOCK_TIMEOUT }),
    );
    const grpcPort = await listen(
      server.server,
      config.TRAINER_GRPC_HOST,
      config.TRAINER_GRPC_PORT,
      grpcServerCredentials(config),
    );
    ctx.onShutdown(() => shutdown(server, GRPC_DRAIN_MS));
    log.info(
      { event: "grpc.listening", host: config.TRAINER_GRPC_HOST, port: grpcPort, tls: serverTlsMode(config) },
      "gRPC listening",
    );

    runner.start();
    await bus.consume({
      service: ctx.name,
      events: ["features.updated", "drift.detected"],
      handler: triggerHandler({
        pool,
        specs,
        runner,
        log,
        metrics,
        driftWaitMs: config.TRAINER_DRIFT_WAIT,
      }),
      concurrency: config.TRAINER_CONCURRENCY,
    });
    log.info({ event: "trainer.ready", codeVersion: version, backend: backend.name }, "trainer ready");
  },
});
