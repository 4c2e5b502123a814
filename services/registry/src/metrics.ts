import { championVersionGauge, grpcServerDurationHistogram, LABEL } from "@gyre/telemetry";
import { Counter, type Gauge, type Histogram, type Registry } from "prom-client";

/** How a version became champion: by the policy, by hand, or by a rollback. */
export type PromotionPath = "policy" | "manual" | "rollback";

/** Counted once per registration or change; a redelivered event or a repeated request does not count again. */
export interface RegistryMetrics {
  versionsRegistered: Counter<string>;
  promotions: Counter<string>;
  rejections: Counter<string>;
  refusedRuns: Counter<string>;
  championVersion: Gauge<string>;
  grpcDuration: Histogram<string>;
}

export function registryMetrics(registry: Registry): RegistryMetrics {
  return {
    versionsRegistered: new Counter({
      name: "gyre_registry_versions_registered_total",
      help: "Model versions registered, by dataset",
      labelNames: [LABEL.dataset],
      registers: [registry],
    }),
    promotions: new Counter({
      name: "gyre_registry_promotions_total",
      help: "Changes of the champion alias, by dataset and outcome (policy, manual, rollback)",
      labelNames: [LABEL.dataset, LABEL.outcome],
      registers: [registry],
    }),
    rejections: new Counter({
      name: "gyre_registry_rejections_total",
      help: "Candidates the promotion policy rejected (they became the challenger), by dataset",
      labelNames: [LABEL.dataset],
      registers: [registry],
    }),
    refusedRuns: new Counter({
      name: "gyre_registry_refused_runs_total",
      help: "model.trained events refused without registering (artifact missing or corrupt, unknown spec revision), by dataset",
      labelNames: [LABEL.dataset],
      registers: [registry],
    }),
    championVersion: championVersionGauge(registry),
    grpcDuration: grpcServerDurationHistogram(registry),
  };
}

export function countPromotion(metrics: RegistryMetrics, dataset: string, path: PromotionPath, version: number): void {
  metrics.promotions.inc({ [LABEL.dataset]: dataset, [LABEL.outcome]: path });
  metrics.championVersion.set({ [LABEL.dataset]: dataset }, version);
}
