import { championVersionGauge, GRPC_BUCKETS_SECONDS, LABEL } from "@gyre/telemetry";
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { LoadedModel } from "./loaded-model.ts";

const ROW_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096];
const QUEUE_BUCKETS_SECONDS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1];

export type ServingMetrics = ReturnType<typeof servingMetrics>;

/** The endpoint's Prometheus metrics; label `model_version` is the version that answered. */
export function servingMetrics(registry: Registry) {
  const model = [LABEL.dataset, LABEL.modelVersion] as const;
  const metrics = {
    requestDuration: new Histogram({
      name: "gyre_serving_request_duration_seconds",
      help: "ModelInfer latency from call to answer, in seconds, by dataset, version that answered, and role",
      labelNames: [...model, "role"],
      buckets: GRPC_BUCKETS_SECONDS,
      registers: [registry],
    }),
    errors: new Counter({
      name: "gyre_serving_errors_total",
      help: "Calls answered with an error status, by method and gRPC status code",
      labelNames: [LABEL.grpcMethod, LABEL.grpcCode],
      registers: [registry],
    }),
    batchRows: new Histogram({
      name: "gyre_serving_batch_rows",
      help: "Rows per model call after dynamic batching, by dataset and version",
      labelNames: model,
      buckets: ROW_BUCKETS,
      registers: [registry],
    }),
    batchRequests: new Histogram({
      name: "gyre_serving_batch_requests",
      help: "Requests coalesced into one model call, by dataset and version",
      labelNames: model,
      buckets: ROW_BUCKETS,
      registers: [registry],
    }),
    queueDelay: new Histogram({
      name: "gyre_serving_queue_delay_seconds",
      help: "Time a request waited in the batch queue before its model call, by dataset and version",
      labelNames: model,
      buckets: QUEUE_BUCKETS_SECONDS,
      registers: [registry],
    }),
    loadedModels: new Gauge({
      name: "gyre_serving_loaded_models",
      help: "Model versions in memory, including retired ones still finishing requests",
      registers: [registry],
    }),
    modelLoadSeconds: new Histogram({
      name: "gyre_serving_model_load_seconds",
      help: "Time to load a model bundle from S3 and warm it up, in seconds",
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    swaps: new Counter({
      name: "gyre_serving_champion_swaps_total",
      help: "Champion hot swaps (a loaded champion replaced by a new one), by dataset",
      labelNames: [LABEL.dataset],
      registers: [registry],
    }),
    servedVersion: new Gauge({
      name: "gyre_serving_model_version",
      help: "Version serving each role (champion, challenger) per dataset; absent when the role is empty",
      labelNames: [LABEL.dataset, "role"],
      registers: [registry],
    }),
    championVersion: championVersionGauge(registry),
    shadowEnabled: new Gauge({
      name: "gyre_serving_shadow_enabled",
      help: "1 when requests of the dataset are mirrored to its challenger",
      labelNames: [LABEL.dataset],
      registers: [registry],
    }),
    canaryShare: new Gauge({
      name: "gyre_serving_canary_share",
      help: "Configured share of the dataset's requests answered by its challenger",
      labelNames: [LABEL.dataset],
      registers: [registry],
    }),
    routed: new Counter({
      name: "gyre_serving_routed_requests_total",
      help: "Requests by dataset and role that answered (champion, canary, challenger for a pinned non-champion version)",
      labelNames: [LABEL.dataset, "role"],
      registers: [registry],
    }),
    shadowRows: new Counter({
      name: "gyre_serving_shadow_rows_total",
      help: "Rows mirrored to the challenger and compared with the champion's answer, by dataset and agreement",
      labelNames: [LABEL.dataset, "agreement"],
      registers: [registry],
    }),
    shadowAgreement: new Gauge({
      name: "gyre_serving_shadow_agreement_ratio",
      help: "Share of shadowed rows where the challenger agreed with the champion (same label; within 1e-6 relative for values)",
      labelNames: [LABEL.dataset],
      registers: [registry],
    }),
    shadowDropped: new Counter({
      name: "gyre_serving_shadow_dropped_total",
      help: "Shadow requests not mirrored because the shadow queue was full or the challenger failed, by dataset",
      labelNames: [LABEL.dataset],
      registers: [registry],
    }),
    logsPublished: new Counter({
      name: "gyre_serving_prediction_logs_published_total",
      help: "Prediction records published in predictions.logged",
      registers: [registry],
    }),
    featureStoreCalls: new Counter({
      name: "gyre_serving_feature_store_calls_total",
      help: "GetOnlineFeatures calls to the feature store (an entity's history not in memory), by dataset and outcome",
      labelNames: [LABEL.dataset, "outcome"],
      registers: [registry],
    }),
    historyLookups: new Counter({
      name: "gyre_serving_history_lookups_total",
      help: "Entity histories a raw request needed, by dataset and where they came from (memory or feature_store)",
      labelNames: [LABEL.dataset, "source"],
      registers: [registry],
    }),
    historyRowsApplied: new Counter({
      name: "gyre_serving_history_rows_applied_total",
      help: "Rows of features.updated merged into the entity histories serving holds in memory, by dataset",
      labelNames: [LABEL.dataset],
      registers: [registry],
    }),
    logsDropped: new Counter({
      name: "gyre_serving_prediction_logs_dropped_total",
      help: "Prediction records dropped because the buffer was full or a publish failed (NATS down), by reason",
      labelNames: [LABEL.reason],
      registers: [registry],
    }),
  };
  return {
    ...metrics,
    recordBatch(loaded: LoadedModel, rows: number, requests: number, waitsSeconds: readonly number[]): void {
      const labels = { [LABEL.dataset]: loaded.dataset, [LABEL.modelVersion]: loaded.versionText };
      metrics.batchRows.observe(labels, rows);
      metrics.batchRequests.observe(labels, requests);
      for (const wait of waitsSeconds) metrics.queueDelay.observe(labels, wait);
    },
    setRoles(dataset: string, champion: number | null, challenger: number | null): void {
      const set = (role: string, version: number | null) => {
        if (version === null) metrics.servedVersion.remove({ [LABEL.dataset]: dataset, role });
        else metrics.servedVersion.set({ [LABEL.dataset]: dataset, role }, version);
      };
      set("champion", champion);
      set("challenger", challenger);
      if (champion !== null) metrics.championVersion.set({ [LABEL.dataset]: dataset }, champion);
    },
  };
}
