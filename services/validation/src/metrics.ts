import { LABEL } from "@gyre/telemetry";
import { Counter, type Registry } from "prom-client";

/** Counted once per batch, when its report is first stored; redeliveries do not count again. */
export type ValidationMetrics = {
  batches: Counter<string>;
  rows: Counter<string>;
};

export function validationMetrics(registry: Registry): ValidationMetrics {
  return {
    batches: new Counter({
      name: "gyre_validation_batches_total",
      help: "Batches validated, by dataset and outcome (validated, rejected)",
      labelNames: [LABEL.dataset, LABEL.outcome],
      registers: [registry],
    }),
    rows: new Counter({
      name: "gyre_validation_rows_total",
      help: "Rows checked, by dataset and outcome: valid (passed, in a validated batch), quarantined (failed its checks, in any batch), rejected (passed, but its batch was rejected)",
      labelNames: [LABEL.dataset, LABEL.outcome],
      registers: [registry],
    }),
  };
}

/** Records one batch's outcome. */
export function countBatch(
  metrics: ValidationMetrics,
  report: { dataset: string; decision: "accept" | "reject"; rowCount: number; validRows: number; invalidRows: number },
): void {
  const labels = (outcome: string) => ({ [LABEL.dataset]: report.dataset, [LABEL.outcome]: outcome });
  const accepted = report.decision === "accept";
  metrics.batches.inc(labels(accepted ? "validated" : "rejected"));
  metrics.rows.inc(labels(accepted ? "valid" : "rejected"), report.validRows);
  metrics.rows.inc(labels("quarantined"), report.invalidRows);
}
