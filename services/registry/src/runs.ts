import type { TrainingTrigger } from "@gyre/contracts";
import type { Metrics } from "./promotion.ts";

/** What the registry knows about a training run: what its model.trained carried, and what became of it. */
export interface RunRecord {
  runId: string;
  dataset: string;
  outcome: "registered" | "refused";
  /** The version it was registered as; null when refused. */
  version: number | null;
  refusalReason: string | null;
  metrics: Metrics;
  championMetrics: Metrics | null;
  championVersion: number | null;
  backend: string;
  codeVersion: string | null;
  specRevision: number;
  trigger: { reason: TrainingTrigger; eventIds: string[] };
  snapshotId: string;
  batchCount: number;
  artifactKey: string;
  recordedAt: Date;
}

/** The run's parameters as far as model.trained carries them (hyperparameters come with the trainer's run records). */
export function runParams(run: RunRecord): Record<string, string> {
  return {
    backend: run.backend,
    code_version: run.codeVersion ?? "",
    spec_revision: String(run.specRevision),
    snapshot_id: run.snapshotId,
    batch_count: String(run.batchCount),
    trigger: run.trigger.reason,
  };
}

/** +1 where a higher value is better, -1 where lower is better. */
const BETTER_DIRECTION: Readonly<Record<string, 1 | -1>> = {
  accuracy: 1,
  macro_f1: 1,
  roc_auc: 1,
  log_loss: -1,
  loss: -1,
  rmse: -1,
  mae: -1,
};

export interface MetricDifference {
  name: string;
  a: number | null;
  b: number | null;
  /** b - a when both runs have the metric. */
  difference: number | null;
  /** The run that did better by the metric's direction; "" when unknown or one run lacks it. */
  better: "a" | "b" | "same" | "";
}

export interface ParamDifference {
  name: string;
  a: string | null;
  b: string | null;
  differs: boolean;
}

/** Every metric and parameter of either run, by name, side by side. */
export function compareRuns(a: RunRecord, b: RunRecord): { metrics: MetricDifference[]; params: ParamDifference[] } {
  const metricNames = [...new Set([...Object.keys(a.metrics), ...Object.keys(b.metrics)])].sort();
  const metrics = metricNames.map((name) => metricDifference(name, a.metrics[name] ?? null, b.metrics[name] ?? null));
  const paramsA = runParams(a);
  const paramsB = runParams(b);
  const paramNames = [...new Set([...Object.keys(paramsA), ...Object.keys(paramsB)])].sort();
  const params = paramNames.map((name) => {
    const valueA = paramsA[name] ?? null;
    const valueB = paramsB[name] ?? null;
    return { name, a: valueA, b: valueB, differs: valueA !== valueB };
  });
  return { metrics, params };
}

function metricDifference(name: string, a: number | null, b: number | null): MetricDifference {
  if (a === null || b === null) return { name, a, b, difference: null, better: "" };
  const difference = b - a;
  const direction = BETTER_DIRECTION[name];
  const better = direction === undefined ? "" : difference === 0 ? "same" : difference * direction > 0 ? "b" : "a";
  return { name, a, b, difference, better };
}
