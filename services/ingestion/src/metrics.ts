import { Counter, type Registry } from "prom-client";

/** Ingestion's own series, beside the bus metrics every consumer has. */
export function ingestionMetrics(registry: Registry) {
  return {
    batches: new Counter({
      name: "gyre_ingestion_batches_total",
      help: "Batches stored and announced as data.ingested, by dataset and format",
      labelNames: ["dataset", "format"] as const,
      registers: [registry],
    }),
    rows: new Counter({
      name: "gyre_ingestion_rows_total",
      help: "Rows in the batches ingested, by dataset",
      labelNames: ["dataset"] as const,
      registers: [registry],
    }),
    bytes: new Counter({
      name: "gyre_ingestion_bytes_total",
      help: "Raw bytes of the batches ingested, by dataset",
      labelNames: ["dataset"] as const,
      registers: [registry],
    }),
    // no dataset label: a rejected arrival may name any dataset at all
    rejected: new Counter({
      name: "gyre_ingestion_rejected_total",
      help: "Arrivals rejected as bad input (sent to the DLQ), by reason kind",
      labelNames: ["reason"] as const,
      registers: [registry],
    }),
    duplicates: new Counter({
      name: "gyre_ingestion_duplicates_total",
      help: "Arrivals that were a batch already ingested, by the key that matched (batch_key or sha256)",
      labelNames: ["matched"] as const,
      registers: [registry],
    }),
  };
}

export type IngestionMetrics = ReturnType<typeof ingestionMetrics>;
