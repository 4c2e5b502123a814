import "./tfjs-preload.ts";
import { hostname } from "node:os";
import { duration, envField, grpcTlsEnv, integer, oneOf, port, s3Env, text } from "@gyre/config";
import { grpcChannelCredentials, shutdown } from "@gyre/grpc";
import { selectBackend } from "@gyre/model";
import { runService } from "@gyre/service";
import { SpecStore } from "@gyre/spec";
import { LABEL } from "@gyre/telemetry";
import { featureStoreHistory } from "./feature-store-client.ts";
import { listenForFeatures } from "./features-listener.ts";
import { INFERENCE_SERVICE, servingCredentials, startInferenceServer } from "./grpc-endpoint.ts";
import { inferenceHandlers } from "./inference-service.ts";
import { ModelRepository } from "./model-repository.ts";
import { OnlineHistory } from "./online-history.ts";
import { PredictionLog } from "./prediction-log.ts";
import { listenForPromotions } from "./promotion-listener.ts";
import { OnlineFeatures } from "./raw-request.ts";
import { registryReader } from "./registry-client.ts";
import { DEFAULT_ROUTING, type RoutingSettings, RoutingSettingsStore } from "./routing-settings.ts";
import { servingMetrics } from "./serving-metrics.ts";
import { ShadowMirror } from "./shadow-mirror.ts";

const GRPC_DRAIN_MS = 5000;
const share = envField("expected a share from 0 to 1, like 0.1", (raw) => {
  const value = Number(raw);
  return raw !== "" && Number.isFinite(value) && value >= 0 && value <= 1 ? value : undefined;
});

await runService({
  name: "serving",
  env: {
    ...s3Env,
    ...grpcTlsEnv,
    REGISTRY_GRPC_ADDR: text("expected host:port of the registry's gRPC endpoint").default("127.0.0.1:50053"),
    /** Where raw requests' entity histories come from when they are not in memory. */
    FEATURE_STORE_GRPC_ADDR: text("expected host:port of the feature store's gRPC endpoint").default("127.0.0.1:50052"),
    /** Entities whose latest rows serving keeps in memory, per dataset. */
    SERVING_ONLINE_MAX_ENTITIES: integer({ min: 1 }).default(100_000),
    SERVING_GRPC_HOST: text().default("0.0.0.0"),
    /** Triton's gRPC port; 0 lets the OS choose (tests); the bound port is logged as grpc.listening. */
    SERVING_GRPC_PORT: port().default(8001),
    SERVING_MAX_BATCH_SIZE: integer({ min: 1, max: 65536 }).default(64),
    SERVING_MAX_QUEUE_DELAY_US: integer({ min: 0, max: 1_000_000 }).default(0),
    SERVING_MAX_MODELS: integer({ min: 1, max: 1000 }).default(8),
    SERVING_MAX_MESSAGE_BYTES: integer({ min: 1024, max: 2 ** 31 - 1 }).default(16 * 1024 * 1024),
    SERVING_LOG_SAMPLE_RATE: share.default(0.1),
    SERVING_LOG_FLUSH_INTERVAL: duration().default(1000),
    SERVING_LOG_BUFFER_RECORDS: integer({ min: 1 }).default(20_000),
    SERVING_SHADOW_MAX_PENDING_ROWS: integer({ min: 1 }).default(4096),
    SERVING_RECONCILE_INTERVAL: duration().default(60_000),
    /** Older names of GRPC_TLS_CERT/KEY/CA/CLIENT_AUTH, still read; GRPC_TLS_* win. */
    SERVING_TLS_CERT: text("expected the path of a PEM file").optional(),
    SERVING_TLS_KEY: text("expected the path of a PEM file").optional(),
    SERVING_TLS_CA: text("expected the path of a PEM file").optional(),
    SERVING_TLS_CLIENT_AUTH: oneOf(["none", "require"]).optional(),
    TFJS_BACKEND: text().optional(),
  },
  defaultMetricsPort: 9466,
  async start(ctx) {
    const { config, bus, log } = ctx;
    const backend = await selectBackend(config.TFJS_BACKEND);
    log.info(
      { event: "tf.backend", backend: backend.name, tfjsVersion: backend.tfjsVersion, skipped: backend.skipped },
      "tfjs backend",
    );
    const { credentials, tls } = servingCredentials(config);
    const store = await ctx.artifacts({
      endpoint: config.S3_ENDPOINT,
      accessKey: config.S3_ACCESS_KEY,
      secretKey: config.S3_SECRET_KEY,
      region: config.S3_REGION,
      bucket: config.S3_BUCKET,
    });
    const instance = `${hostname()}-${process.pid}`.replace(/[^A-Za-z0-9._:-]/g, "_");
    const metrics = servingMetrics(ctx.metrics);
    const registry = registryReader(config.REGISTRY_GRPC_ADDR, grpcChannelCredentials(config));
    ctx.onShutdown(() => registry.close());
    const featureStore = featureStoreHistory(
      config.FEATURE_STORE_GRPC_ADDR,
      grpcChannelCredentials(config),
      (dataset, outcome) => metrics.featureStoreCalls.inc({ [LABEL.dataset]: dataset, outcome }),
    );
    ctx.onShutdown(() => featureStore.close());
    const history = new OnlineHistory(featureStore, {
      maxEntities: config.SERVING_ONLINE_MAX_ENTITIES,
      onLookup: (dataset, source) => metrics.historyLookups.inc({ [LABEL.dataset]: dataset, source }),
      onApplied: (dataset, rows) => metrics.historyRowsApplied.inc({ [LABEL.dataset]: dataset }, rows),
    });
    const online = new OnlineFeatures(await SpecStore.open(bus.connection, ctx.namespace), history);

    const routing = new Map<string, RoutingSettings>();
    const repository = new ModelRepository({
      store,
      registry,
      log,
      metrics,
      batching: { maxBatchRows: config.SERVING_MAX_BATCH_SIZE, maxQueueDelayUs: config.SERVING_MAX_QUEUE_DELAY_US },
      maxModels: config.SERVING_MAX_MODELS,
      wantsChallenger: (dataset) => {
        const settings = routing.get(dataset) ?? DEFAULT_ROUTING;
        return settings.shadow || settings.canaryShare > 0;
      },
    });
    ctx.onShutdown(() => repository.close());
    const predictionLog = new PredictionLog({
      bus,
      log,
      metrics,
      instance,
      sampleRate: config.SERVING_LOG_SAMPLE_RATE,
      flushMs: config.SERVING_LOG_FLUSH_INTERVAL,
      maxRecordsPerEvent: 500,
      maxBufferedRecords: config.SERVING_LOG_BUFFER_RECORDS,
    });
    const shadow = new ShadowMirror({ metrics, log, maxPendingRows: config.SERVING_SHADOW_MAX_PENDING_ROWS });

    let ready = false;
    ctx.addCheck("models", () => {
      if (!ready) throw new Error("the champions are not loaded yet (the registry has not answered)");
    });
    const { server, port: boundPort } = await startInferenceServer({
      handlers: inferenceHandlers({
        repository,
        online,
        routing: (dataset) => routing.get(dataset) ?? DEFAULT_ROUTING,
        predictionLog,
        shadow,
        metrics,
        log,
        ready: () => ready,
        serverVersion: config.SERVICE_VERSION,
      }),
      host: config.SERVING_GRPC_HOST,
      port: config.SERVING_GRPC_PORT,
      maxMessageBytes: config.SERVING_MAX_MESSAGE_BYTES,
      credentials,
    });
    server.setServingStatus(INFERENCE_SERVICE, "NOT_SERVING");
    ctx.onShutdown(() => predictionLog.flush());
    ctx.onShutdown(() => shutdown(server, GRPC_DRAIN_MS));
    log.info({ event: "grpc.listening", host: config.SERVING_GRPC_HOST, port: boundPort, tls }, "gRPC listening");

    // grpc.health.v1 per model: the dataset's name is SERVING while it has a champion in memory.
    const reconcile = async (dataset: string, reason: string) => {
      await repository.reconcile(dataset);
      server.setServingStatus(dataset, repository.champion(dataset) ? "SERVING" : "NOT_SERVING");
      log.debug({ event: "models.reconciled", dataset, reason }, "dataset reconciled");
    };
    const reconcileAll = async (reason: string) => {
      await repository.reconcileAll();
      for (const dataset of repository.datasets()) {
        server.setServingStatus(dataset, repository.champion(dataset) ? "SERVING" : "NOT_SERVING");
      }
      log.info({ event: "models.reconciled", reason, datasets: repository.datasets() }, "models reconciled");
    };

    const settingsStore = await RoutingSettingsStore.open(bus.connection, ctx.namespace);
    const watch = await settingsStore.watch(
      (dataset, settings) => {
        routing.set(dataset, settings);
        metrics.shadowEnabled.set({ [LABEL.dataset]: dataset }, settings.shadow ? 1 : 0);
        metrics.canaryShare.set({ [LABEL.dataset]: dataset }, settings.canaryShare);
        log.info({ event: "routing.changed", dataset, ...settings }, "shadow/canary settings");
        if (ready)
          void reconcile(dataset, "routing").catch((err: unknown) =>
            log.error({ event: "routing.reconcile_failed", dataset, err }, "reconcile failed"),
          );
      },
      (dataset, err) => log.warn({ event: "routing.invalid", dataset, err }, "invalid serving settings ignored"),
    );
    ctx.onShutdown(() => watch.stop());

    // Listen before the first load, so a promotion during it is not missed (reconciling is idempotent).
    const promotions = await listenForPromotions(bus, log, reconcile);
    ctx.onShutdown(() => promotions.stop());
    const features = await listenForFeatures(bus, log, (event) => history.apply(event));
    ctx.onShutdown(() => features.stop());

    const firstLoad = async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          await reconcileAll("start");
          return;
        } catch (err) {
          log.error({ event: "models.initial_load_failed", attempt, err }, "initial model load failed; retrying");
          await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 500 * attempt)));
        }
      }
    };
    const loaded = firstLoad().then(() => {
      ready = true;
      server.setServingStatus(INFERENCE_SERVICE, "SERVING");
    });
    // At most a few seconds of start-up waiting for the registry; after that the load goes on in the background.
    await Promise.race([loaded, new Promise((resolve) => setTimeout(resolve, 15_000))]);
    const timer = setInterval(() => {
      if (ready)
        void reconcileAll("interval").catch((err: unknown) =>
          log.warn({ event: "models.reconcile_failed", err }, "reconcile failed"),
        );
    }, config.SERVING_RECONCILE_INTERVAL);
    timer.unref();
    ctx.onShutdown(() => clearInterval(timer));
  },
});
