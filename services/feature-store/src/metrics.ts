import { Counter, Histogram, type Registry } from "prom-client";

export interface FeatureStoreMetrics {
  rowsWritten: Counter<"dataset">;
  /** outcome: `written`, or `duplicate` for a redelivered batch that wrote nothing. */
  batchesWritten: Counter<"dataset" | "outcome">;
  writeDuration: Histogram<"dataset">;
  exportDuration: Histogram<"dataset" | "outcome">;
  exportRows: Counter<"dataset">;
}

const WRITE_BUCKETS_SECONDS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const EXPORT_BUCKETS_SECONDS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export function featureStoreMetrics(registry: Registry): FeatureStoreMetrics {
  const registers = [registry];
  return {
    rowsWritten: new Counter({
      name: "gyre_feature_store_rows_written_total",
      help: "Rows written to the offline store, by dataset",
      labelNames: ["dataset"],
      registers,
    }),
    batchesWritten: new Counter({
      name: "gyre_feature_store_batches_total",
      help: "Validated batches handled, by dataset and outcome (written, duplicate)",
      labelNames: ["dataset", "outcome"],
      registers,
    }),
    writeDuration: new Histogram({
      name: "gyre_feature_store_write_duration_seconds",
      help: "Time to read, transform and write one batch (the transaction included), by dataset",
      labelNames: ["dataset"],
      buckets: WRITE_BUCKETS_SECONDS,
      registers,
    }),
    exportDuration: new Histogram({
      name: "gyre_feature_store_export_duration_seconds",
      help: "Time one ExportTrainingSet call took, by dataset and outcome (ok, error)",
      labelNames: ["dataset", "outcome"],
      buckets: EXPORT_BUCKETS_SECONDS,
      registers,
    }),
    exportRows: new Counter({
      name: "gyre_feature_store_export_rows_total",
      help: "Rows streamed by ExportTrainingSet, by dataset",
      labelNames: ["dataset"],
      registers,
    }),
  };
}
