import { fileURLToPath } from "node:url";
import { databaseEnv, envField, grpcTlsEnv, integer, parseDuration, port, s3Env, text } from "@gyre/config";
import { createGrpcServer, grpcServerCredentials, listen, loadProto, serverTlsMode, shutdown } from "@gyre/grpc";
import { runService } from "@gyre/service";
import { SpecStore } from "@gyre/spec";
import { featureStoreHandlers } from "./featureStoreGrpc.ts";
import { featureStoreMetrics } from "./metrics.ts";
import { validatedBatchHandler } from "./writeFeatures.ts";

const PROTO = "featurestore/feature_store.proto";

/** "1s,5s,15s": the delay before each redelivery of a failed batch (the last one repeats). */
const durationList = () =>
  envField('expected durations separated by commas, like "1s,5s,15s"', (raw) => {
    const delays = raw.split(",").map((part) => parseDuration(part));
    return delays.every((delay) => delay !== undefined) ? (delays as number[]) : undefined;
  });

await runService({
  name: "feature-store",
  env: {
    ...databaseEnv,
    ...s3Env,
    ...grpcTlsEnv,
    FEATURE_STORE_GRPC_HOST: text().default("0.0.0.0"),
    /** 0 picks a free port (tests); the bound port is logged as `grpc.listening`. */
    FEATURE_STORE_GRPC_PORT: port().default(50052),
    /** Deliveries of a data.validated before a batch that keeps failing goes to the DLQ. */
    FEATURE_STORE_MAX_DELIVER: integer({ min: 1, max: 100 }).default(5),
    FEATURE_STORE_RETRY_BACKOFF: durationList().default([1000, 5000, 15000]),
    /** Batches written at once per process; batches of one dataset queue behind each other anyway. */
    FEATURE_STORE_CONCURRENCY: integer({ min: 1, max: 64 }).default(4),
  },
  defaultMetricsPort: 9463,
  async start(ctx) {
    const { config, log } = ctx;
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
    const specs = await SpecStore.open(ctx.bus.connection, ctx.namespace);
    const metrics = featureStoreMetrics(ctx.metrics);

    const grpcServer = createGrpcServer({ protos: [PROTO] });
    grpcServer.server.addService(
      loadProto(PROTO).gyre.featurestore.v1.FeatureStore.service,
      featureStoreHandlers({ pool, log, metrics }),
    );
    const grpcPort = await listen(
      grpcServer.server,
      config.FEATURE_STORE_GRPC_HOST,
      config.FEATURE_STORE_GRPC_PORT,
      grpcServerCredentials(config),
    );
    log.info(
      { event: "grpc.listening", host: config.FEATURE_STORE_GRPC_HOST, port: grpcPort, tls: serverTlsMode(config) },
      "gRPC listening",
    );
    ctx.onShutdown(() => shutdown(grpcServer, 5000));

    await ctx.bus.consume({
      service: ctx.name,
      events: ["data.validated"],
      handler: validatedBatchHandler({ pool, artifacts, specs, bus: ctx.bus, log, metrics }),
      maxDeliver: config.FEATURE_STORE_MAX_DELIVER,
      backoffMs: config.FEATURE_STORE_RETRY_BACKOFF,
      concurrency: config.FEATURE_STORE_CONCURRENCY,
    });
  },
});
