import { championVersionGauge, grpcServerDurationHistogram, LABEL } from "@gyre/telemetry";
import { Counter, Gauge, type Histogram, type Registry } from "prom-client";

/** Labels of the monitoring series, besides LABEL.dataset. */
export const MONITORING_LABEL = {
  feature: "feature",
  test: "test",
  source: "source",
  metric: "metric",
  kind: "kind",
  role: "role",
} as const;

/** Counted once per batch or check; a redelivered event does not count again. */
export interface MonitoringMetrics {
  /** The latest test statistic per feature (KS D or chi-square), by dataset, feature, test and window source. */
  driftStatistic: Gauge<string>;
  /** Share of tested features that drifted in the latest window, by dataset and source. */
  driftShare: Gauge<string>;
  /** Window and performance checks, by dataset, kind and outcome (published, suppressed, no-drift). */
  driftChecks: Counter<string>;
  /** The champion's latest prequential score, by dataset and metric. */
  prequentialMetric: Gauge<string>;
  /** Prediction records logged by serving, by dataset, model version and role. */
  predictionsLogged: Counter<string>;
  /** Rows added to drift windows, by dataset and source. */
  windowRows: Counter<string>;
  /** Batches the champion did not score because its training snapshot held them, by dataset. */
  unscoredBatches: Counter<string>;
  /** Labels received for served predictions (labels.arrived), by dataset. */
  labelsReceived: Counter<string>;
  championVersion: Gauge<string>;
  grpcDuration: Histogram<string>;
}

export function monitoringMetrics(registry: Registry): MonitoringMetrics {
  const { feature, test, source, metric, kind, role } = MONITORING_LABEL;
  return {
    driftStatistic: new Gauge({
      name: "gyre_drift_statistic",
      help: "Latest drift test statistic per feature (KS D, chi-square), by dataset, feature, test and window source",
      labelNames: [LABEL.dataset, feature, test, source],
      registers: [registry],
    }),
    driftShare: new Gauge({
      name: "gyre_drift_share",
      help: "Share of tested features that drifted in the latest window, by dataset and window source",
      labelNames: [LABEL.dataset, source],
      registers: [registry],
    }),
    driftChecks: new Counter({
      name: "gyre_drift_checks_total",
      help: "Drift checks (data windows, labelled batches), by dataset, kind and outcome (published, suppressed, no-drift)",
      labelNames: [LABEL.dataset, kind, LABEL.outcome],
      registers: [registry],
    }),
    prequentialMetric: new Gauge({
      name: "gyre_prequential_metric",
      help: "The champion's score on the latest labelled batch, before training on it, by dataset and metric",
      labelNames: [LABEL.dataset, metric],
      registers: [registry],
    }),
    predictionsLogged: new Counter({
      name: "gyre_predictions_logged_total",
      help: "Prediction records serving logged, by dataset, model version and role",
      labelNames: [LABEL.dataset, LABEL.modelVersion, role],
      registers: [registry],
    }),
    windowRows: new Counter({
      name: "gyre_drift_window_rows_total",
      help: "Rows added to drift windows, by dataset and window source",
      labelNames: [LABEL.dataset, source],
      registers: [registry],
    }),
    unscoredBatches: new Counter({
      name: "gyre_prequential_unscored_batches_total",
      help: "Batches the champion did not score because its training snapshot held them (test, then train), by dataset",
      labelNames: [LABEL.dataset],
      registers: [registry],
    }),
    labelsReceived: new Counter({
      name: "gyre_served_labels_received_total",
      help: "Labels received for served predictions (labels.arrived), by dataset",
      labelNames: [LABEL.dataset],
      registers: [registry],
    }),
    championVersion: championVersionGauge(registry),
    grpcDuration: grpcServerDurationHistogram(registry),
  };
}
