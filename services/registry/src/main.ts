import { fileURLToPath } from "node:url";
import { databaseEnv, duration, grpcTlsEnv, port, s3Env, text } from "@gyre/config";
import { grpcChannelCredentials, grpcServerCredentials, serverTlsMode, shutdown } from "@gyre/grpc";
import { runService } from "@gyre/service";
import { SpecStore } from "@gyre/spec";
import { LABEL } from "@gyre/telemetry";
import { publishPendingDecisions } from "./decisions.ts";
import { trainerClient } from "./externalRegistration.ts";
import { registryMetrics } from "./metrics.ts";
import { championVersions } from "./modelQueries.ts";
import { modelTrainedHandler } from "./registerTrained.ts";
import { startRegistryServer } from "./registryServer.ts";

const GRPC_DRAIN_MS = 5000;

await runService({
  name: "registry",
  env: {
    ...databaseEnv,
    ...s3Env,
    ...grpcTlsEnv,
    REGISTRY_GRPC_HOST: text().default("0.0.0.0"),
    /** 0 lets the OS choose (tests); the bound port is logged as grpc.listening. */
    REGISTRY_GRPC_PORT: port().default(50053),
    /** The trainer, which scores external models (RegisterExternalModel) on a holdout as it scores its runs. */
    TRAINER_GRPC_ADDR: text("expected host:port of the trainer's gRPC endpoint").default("127.0.0.1:50054"),
    /** How long the trainer may take to score an external model and the champion. */
    REGISTRY_EXTERNAL_EVALUATE_TIMEOUT: duration().default(600_000),
  },
  defaultMetricsPort: 9465,
  async start(ctx) {
    const { config, bus, log } = ctx;
    const pool = await ctx.database({
      connectionString: config.DATABASE_URL,
      migrationsDir: fileURLToPath(new URL("../migrations", import.meta.url)),
    });
    const artifacts = await ctx.artifacts({
      endpoint: config.S3_ENDPOINT,
      accessKey: config.S3_ACCESS_KEY,
      secretKey: config.S3_SECRET_KEY,
      region: config.S3_REGION,
      bucket: config.S3_BUCKET,
    });
    const specs = await SpecStore.open(bus.connection, ctx.namespace);
    const metrics = registryMetrics(ctx.metrics);
    for (const { dataset, version } of await championVersions(pool)) {
      metrics.championVersion.set({ [LABEL.dataset]: dataset }, version);
    }
    await publishPendingDecisions(bus, pool, log);

    // Called only by RegisterExternalModel: the trainer need not be up when the registry starts.
    const trainer = trainerClient(config.TRAINER_GRPC_ADDR, grpcChannelCredentials(config));
    ctx.onShutdown(() => trainer.close());
    const external = {
      pool,
      bus,
      specs,
      artifacts,
      log,
      metrics,
      trainer,
      evaluateDeadlineMs: config.REGISTRY_EXTERNAL_EVALUATE_TIMEOUT,
    };
    const { server, port: boundPort } = await startRegistryServer(
      { pool, bus, log, metrics, external },
      { host: config.REGISTRY_GRPC_HOST, port: config.REGISTRY_GRPC_PORT, credentials: grpcServerCredentials(config) },
    );
    ctx.onShutdown(() => shutdown(server, GRPC_DRAIN_MS));
    log.info(
      { event: "grpc.listening", host: config.REGISTRY_GRPC_HOST, port: boundPort, tls: serverTlsMode(config) },
      "gRPC listening",
    );

    await bus.consume({
      service: ctx.name,
      events: ["model.trained"],
      handler: modelTrainedHandler({ pool, bus, specs, artifacts, log, metrics }),
    });
  },
});
