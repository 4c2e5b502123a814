import type { EventData } from "@gyre/contracts";
import type { Decision, LoopRecord, SentBatch } from "./loopRecord.ts";

export const LABEL_WIDTH = 13;
export const label = (text: string) => text.padEnd(LABEL_WIDTH);
const fixed = (value: number | null | undefined, digits = 3) =>
  value === null || value === undefined || !Number.isFinite(value) ? "-" : value.toFixed(digits);
const batchName = (batch: SentBatch | undefined, batchId: string) =>
  batch ? `${batch.location} ${batch.month}` : batchId;

/** A bar of `width` cells for a value in [0, 1], in eighths. */
export function meter(value: number, width = 10): string {
  const eighths = Math.round(Math.min(Math.max(value, 0), 1) * width * 8);
  const full = Math.floor(eighths / 8);
  const partial = eighths % 8 ? "▏▎▍▌▋▊▉"[(eighths % 8) - 1] : "";
  return `▕${"█".repeat(full)}${partial}${" ".repeat(width - full - (partial ? 1 : 0))}▏`;
}

/** The one-line batch counters: what was sent and what the loop made of it so far. */
export function counterLine(record: LoopRecord, planned: number): string {
  const rows = record.rows();
  return [
    `batches sent ${record.sent.size}/${planned}`,
    `ingested ${record.ingested.size}`,
    `validated ${record.validated.size}`,
    `rejected ${record.rejected.size}`,
    `| rows stored ${rows.stored}`,
    `quarantined ${rows.quarantined}`,
    `| trainings ${record.trained.size}`,
    `promotions ${record.promotions.length}`,
    `drift ${record.drifts.length}`,
  ].join("  ");
}

export function validatedLine(report: EventData<"data.validated">, batch: SentBatch | undefined): string | null {
  if (report.invalidRows === 0) return null;
  const anomalies = report.anomalies.map((anomaly) => `${anomaly.feature ?? "batch"}: ${anomaly.reason}`).slice(0, 3);
  return `${label("quarantine")}${batchName(batch, report.batchId)}: ${report.invalidRows} of ${report.rowCount} rows (${anomalies.join("; ")})`;
}

export function rejectedLine(report: EventData<"data.rejected">, batch: SentBatch | undefined): string {
  return `${label("REJECTED")}batch ${batchName(batch, report.batchId)} (${report.rowCount} rows): ${report.reason}`;
}

const metricText = (metrics: Record<string, number>, names: string[]) =>
  names
    .filter((name) => metrics[name] !== undefined)
    .map((name) => `${name} ${fixed(metrics[name])}`)
    .join("  ");

export function progressDetail(progress: EventData<"training.progress">): string {
  return metricText(progress.metrics, ["loss", "accuracy", "val_loss", "val_accuracy", "mae", "val_mae"]);
}

export function trainingStartedLine(progress: EventData<"training.progress">): string {
  return `${label("training")}run ${progress.runId}: ${progress.epochs} epochs at most (early stopping may end it sooner)`;
}

export function trainedLine(run: EventData<"model.trained">): string {
  const metric = run.metrics.accuracy !== undefined ? "accuracy" : Object.keys(run.metrics)[0];
  const candidate = metric ? `${metric} ${fixed(run.metrics[metric])}` : "no metrics";
  const champion =
    run.championVersion === null || run.championMetrics === null || !metric
      ? "no champion yet"
      : `champion v${run.championVersion} ${fixed(run.championMetrics[metric])} on the same holdout`;
  const snapshotRows = `${run.snapshot.batches.length} batches`;
  return `${label("trained")}run ${run.runId} (trigger ${run.trigger.reason}, ${snapshotRows}, ${run.backend}): ${candidate}; ${champion}`;
}

export function decisionLine(decision: Decision): string {
  const previous = decision.previousVersion === null ? "" : ` (champion was v${decision.previousVersion})`;
  const trigger = decision.trigger ? `, trigger ${decision.trigger}` : "";
  const head = decision.kind === "promoted" ? "PROMOTED" : "NOT PROMOTED";
  return `${label(head)}v${decision.version}${previous}, run ${decision.runId}${trigger}: ${decision.reason}`;
}

/** The drift event and, for data drift, one line per feature that drifted with its test and statistics. */
export function driftLines(drift: EventData<"drift.detected">): string[] {
  const champion = drift.modelVersion === null ? "the champion" : `champion v${drift.modelVersion}`;
  const metric = drift.features[0];
  if (drift.kind === "performance" && metric) {
    const side = metric.statistic < metric.threshold ? "below" : "above";
    return [
      `${label("DRIFT")}performance drift: ${champion} scored ${metric.name} ${fixed(metric.statistic)} on a ` +
        `${drift.window.rows}-row batch, ${side} the threshold ${fixed(metric.threshold)}`,
    ];
  }
  const head =
    `${label("DRIFT")}data drift vs ${champion}'s training data: ${drift.features.length} feature(s) drifted, ` +
    `share ${fixed(drift.share, 2)} >= ${fixed(drift.threshold, 2)} (${drift.correction}), ` +
    `window ${drift.window.rows} rows of ${drift.window.source}`;
  const features = drift.features.map((feature) => {
    const pValue =
      feature.pValue === null
        ? `threshold ${fixed(feature.threshold)}`
        : `p ${feature.pValue.toExponential(2)} < ${feature.threshold.toExponential(2)}`;
    const extra = [
      feature.psi === undefined ? "" : `psi ${fixed(feature.psi)}`,
      feature.jsd === undefined ? "" : `jsd ${fixed(feature.jsd)}`,
    ].filter(Boolean);
    return `${" ".repeat(LABEL_WIDTH)}  ${feature.name.padEnd(22)} ${feature.test.padEnd(5)} statistic ${fixed(feature.statistic)}  ${pValue}  ${extra.join("  ")}`.trimEnd();
  });
  return [head, ...features];
}

/** One drift event in a few words, for the summary. */
export function driftBrief(drift: EventData<"drift.detected">): string {
  const champion = `v${drift.modelVersion ?? "?"}`;
  const metric = drift.features[0];
  if (drift.kind === "performance" && metric) {
    return `performance drift of ${champion}: ${metric.name} ${fixed(metric.statistic)} (threshold ${fixed(metric.threshold)})`;
  }
  return `data drift vs ${champion}: ${drift.features.map((feature) => feature.name).join(", ")} (share ${fixed(drift.share, 2)})`;
}

export function scoreLine(score: EventData<"performance.measured">, batch: SentBatch | undefined): string {
  const bounded = score.metric === "accuracy" || score.metric.endsWith("accuracy") || score.metric === "f1";
  return (
    `${label(score.metric.slice(0, LABEL_WIDTH - 1))}${batchName(batch, score.batchId).padEnd(16)} v${score.modelVersion}  ` +
    `${fixed(score.value)} ${bounded ? meter(score.value) : ""} holdout ${fixed(score.championHoldoutValue)}`
  );
}
