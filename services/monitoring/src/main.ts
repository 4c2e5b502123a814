import { fileURLToPath } from "node:url";
import { databaseEnv, duration, grpcTlsEnv, port, s3Env, text } from "@gyre/config";
import { grpcChannelCredentials, grpcServerCredentials, serverTlsMode, shutdown } from "@gyre/grpc";
import { selectBackend } from "@gyre/model";
import { runService } from "@gyre/service";
import { SpecStore } from "@gyre/spec";
import { LABEL } from "@gyre/telemetry";
import { validatedBatchHandler } from "./batchHandler.ts";
import { Champions } from "./champions.ts";
import { labelsHandler } from "./labelFeedback.ts";
import { monitoringMetrics } from "./metrics.ts";
import { startMonitoringServer } from "./monitoringRpc.ts";
import { publishOutbox } from "./outbox.ts";
import { predictionsHandler } from "./predictionsHandler.ts";
import { promotionHandler } from "./promotions.ts";
import { connectRegistry } from "./registryClient.ts";

const GRPC_DRAIN_MS = 5000;

await runService({
  name: "monitoring",
  env: {
    ...databaseEnv,
    ...s3Env,
    ...grpcTlsEnv,
    MONITORING_GRPC_HOST: text().default("0.0.0.0"),
    /** 0 lets the OS choose (tests); the bound port is logged as grpc.listening. */
    MONITORING_GRPC_PORT: port().default(50055),
    REGISTRY_GRPC_ADDR: text().default("127.0.0.1:50053"),
    /** tensorflow, wasm or cpu; unset: the fastest that starts. */
    TFJS_BACKEND: text().optional(),
    /** A label that arrives later than this after its prediction was served is counted as late (and still used). */
    MONITORING_LABEL_LATE_AFTER: duration().default(3_600_000),
  },
  defaultMetricsPort: 9467,
  async start(ctx) {
    const { config, bus, log } = ctx;
    const backend = await selectBackend(config.TFJS_BACKEND);
    log.info(
      { event: "tf.backend", backend: backend.name, tfjsVersion: backend.tfjsVersion, skipped: backend.skipped },
      "tfjs backend",
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
    const metrics = monitoringMetrics(ctx.metrics);
    const registry = connectRegistry(config.REGISTRY_GRPC_ADDR, grpcChannelCredentials(config));
    ctx.onShutdown(() => registry.close());
    const champions = new Champions({
      pool,
      store,
      registry,
      log,
      onChange: (dataset, version) => metrics.championVersion.set({ [LABEL.dataset]: dataset }, version),
    });
    ctx.onShutdown(() => champions.close());

    // Before consuming, so a backlog is scored by the registry's champion of now (a batch its snapshot holds is then
    // left unscored, not scored by an older one). A registry that does not answer (it may start after monitoring:
    // model.promoted brings each champion then) leaves the champions recorded in PostgreSQL in use.
    await champions.refreshAll().then(
      (loaded) =>
        log.info({ event: "champions.refreshed", datasets: loaded.map((c) => c.dataset) }, "champions refreshed"),
      (err: unknown) =>
        log.warn(
          { err, event: "champions.refresh_failed", registry: config.REGISTRY_GRPC_ADDR },
          "champions not refreshed",
        ),
    );
    await publishOutbox(bus, pool, log);

    const { server, port: boundPort } = await startMonitoringServer(
      { pool, store, log, metrics, champions },
      {
        host: config.MONITORING_GRPC_HOST,
        port: config.MONITORING_GRPC_PORT,
        credentials: grpcServerCredentials(config),
      },
    );
    ctx.onShutdown(() => shutdown(server, GRPC_DRAIN_MS));
    log.info(
      { event: "grpc.listening", host: config.MONITORING_GRPC_HOST, port: boundPort, tls: serverTlsMode(config) },
      "gRPC listening",
    );

    const deps = { pool, store, bus, log, metrics, specs, champions };
    const onBatch = validatedBatchHandler(deps);
    const onPredictions = predictionsHandler(deps);
    await bus.consume({
      service: ctx.name,
      durable: "monitoring-champions",
      events: ["model.promoted"],
      handler: promotionHandler({ pool, log, champions, registry }),
      concurrency: 1,
    });
    await bus.consume({
      service: ctx.name,
      durable: "monitoring-labels",
      events: ["labels.arrived"],
      handler: labelsHandler({ pool, specs, log, metrics, lateAfterMs: config.MONITORING_LABEL_LATE_AFTER }),
    });
    await bus.consume({
      service: ctx.name,
      events: ["data.validated", "predictions.logged"],
      handler: (event, handlerContext) =>
        event.type === "data.validated" ? onBatch(event, handlerContext) : onPredictions(event, handlerContext),
    });
  },
});
