import { grpcServerDurationHistogram, LABEL, trainingDurationHistogram } from "@gyre/telemetry";
import { Counter, Gauge, type Histogram, type Registry } from "prom-client";

export interface TrainerMetrics {
  /** gyre_training_duration_seconds{dataset, outcome}: succeeded or failed runs, claim to outcome. */
  trainingDuration: Histogram<string>;
  runs: Counter<string>;
  running: Gauge<string>;
  triggers: Counter<string>;
  pendingTriggers: Gauge<string>;
  runsPerBatch: Gauge<string>;
  grpcDuration: Histogram<string>;
}

export function trainerMetrics(registry: Registry): TrainerMetrics {
  return {
    trainingDuration: trainingDurationHistogram(registry),
    runs: new Counter({
      name: "gyre_trainer_runs_total",
      help: "Finished training runs (reproductions included), by dataset and outcome (succeeded, failed)",
      labelNames: [LABEL.dataset, LABEL.outcome],
      registers: [registry],
    }),
    running: new Gauge({
      name: "gyre_trainer_runs_running",
      help: "Training runs in progress in this process, by dataset",
      labelNames: [LABEL.dataset],
      registers: [registry],
    }),
    triggers: new Counter({
      name: "gyre_trainer_triggers_total",
      help: "Triggers recorded, by dataset, reason (features, drift, manual) and the policy's decision (train, skip)",
      labelNames: [LABEL.dataset, LABEL.reason, LABEL.outcome],
      registers: [registry],
    }),
    pendingTriggers: new Gauge({
      name: "gyre_trainer_pending_triggers",
      help: "Triggers decided `train` that wait for a run (one is in progress, or a cooldown or retry delay runs)",
      labelNames: [LABEL.dataset],
      registers: [registry],
    }),
    runsPerBatch: new Gauge({
      name: "gyre_trainer_runs_per_batch",
      help: "Ordinary training runs started (reproductions left out) per batch announced by features.updated, by dataset",
      labelNames: [LABEL.dataset],
      registers: [registry],
    }),
    grpcDuration: grpcServerDurationHistogram(registry),
  };
}
