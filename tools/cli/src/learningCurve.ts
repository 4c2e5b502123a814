import type {
  AuditEntry__Output,
  DriftEvent__Output,
  GetServedAccuracyResponse__Output,
  PrequentialPoint__Output,
  Run__Output,
  UnscoredBatch__Output,
} from "@gyre/grpc";

/** Metrics where lower is better; RMSE also combines as the root of the rows-weighted mean square. */
const LOWER_IS_BETTER = new Set(["log_loss", "rmse", "mae"]);

export interface CurvePoint {
  batchId: string;
  modelVersion: number;
  value: number;
  rows: number;
  /** The rows-weighted metric over this batch and every one scored before it. */
  cumulative: number;
  measuredAt: string;
  performanceDrift: boolean;
  /** The first batch scored by this model version after another one: a retrained model took over. */
  retrained: boolean;
  /** A drift.detected went out since the previous scored batch. */
  drift: boolean;
}

export interface LearningCurve {
  dataset: string;
  metric: string | null;
  prequential: {
    cumulative: number | null;
    rows: number;
    batches: number;
    points: CurvePoint[];
    perVersion: { modelVersion: number; batches: number; rows: number; value: number }[];
    unscored: { batchId: string; modelVersion: number; runId: string; reason: string }[];
  };
  served: {
    perVersion: ServedFigure[];
    overTime: (ServedFigure & { periodStart: string })[];
    labels: {
      received: number;
      duplicates: number;
      conflicting: number;
      late: number;
      unmatched: number;
      unlabelled: number;
    };
  };
  runs: { total: number; byTrigger: Record<string, number> };
  promotions: number;
  rejections: number;
  driftEvents: number;
}

export interface ServedFigure {
  modelVersion: number;
  role: string;
  logged: number;
  labelled: number;
  correct: number;
  /** correct / labelled; null without labelled predictions. */
  accuracy: number | null;
}

/** Rows-weighted combination of per-batch values: the mean, or for RMSE the root of the mean square. */
export function combine(metric: string, parts: readonly { value: number; rows: number }[]): number | null {
  const rows = parts.reduce((sum, part) => sum + part.rows, 0);
  if (rows === 0) return null;
  const square = metric === "rmse";
  const total = parts.reduce((sum, part) => sum + part.rows * (square ? part.value ** 2 : part.value), 0);
  return square ? Math.sqrt(total / rows) : total / rows;
}

export function isLowerBetter(metric: string | null): boolean {
  return metric !== null && LOWER_IS_BETTER.has(metric);
}

/** What `gyre metrics` reports, from monitoring's and the registry's answers. */
export function learningCurve(input: {
  dataset: string;
  points: readonly PrequentialPoint__Output[];
  unscored: readonly UnscoredBatch__Output[];
  drift: readonly DriftEvent__Output[];
  served: GetServedAccuracyResponse__Output;
  runs: readonly Run__Output[];
  audit: readonly AuditEntry__Output[];
}): LearningCurve {
  const metric = input.points[0]?.metric ?? null;
  const published = input.drift
    .filter((event) => event.status === "published")
    .map((event) => Date.parse(event.checked_at))
    .sort((a, b) => a - b);
  const points: CurvePoint[] = [];
  const seen: { value: number; rows: number }[] = [];
  let previousAt = Number.NEGATIVE_INFINITY;
  for (const point of input.points) {
    const at = Date.parse(point.measured_at);
    const part = { value: point.value, rows: Number(point.rows) };
    seen.push(part);
    const previous = points.at(-1);
    points.push({
      batchId: point.batch_id,
      modelVersion: Number(point.model_version),
      value: point.value,
      rows: part.rows,
      cumulative: combine(point.metric, seen) ?? point.value,
      measuredAt: point.measured_at,
      performanceDrift: point.performance_drift,
      retrained: previous !== undefined && previous.modelVersion !== Number(point.model_version),
      drift: published.some((time) => time > previousAt && time <= at),
    });
    previousAt = at;
  }
  const versions = [...new Set(points.map((point) => point.modelVersion))];
  const served = input.served;
  const figure = (row: GetServedAccuracyResponse__Output["versions"][number]): ServedFigure => ({
    modelVersion: Number(row.model_version),
    role: row.role,
    logged: Number(row.logged),
    labelled: Number(row.labelled),
    correct: Number(row.correct),
    accuracy: Number(row.labelled) === 0 ? null : row.accuracy,
  });
  const byTrigger: Record<string, number> = {};
  for (const run of input.runs) {
    const reason = run.trigger?.reason || "unknown";
    byTrigger[reason] = (byTrigger[reason] ?? 0) + 1;
  }
  return {
    dataset: input.dataset,
    metric,
    prequential: {
      cumulative: metric === null ? null : combine(metric, points),
      rows: points.reduce((sum, point) => sum + point.rows, 0),
      batches: points.length,
      points,
      perVersion: versions.map((modelVersion) => {
        const own = points.filter((point) => point.modelVersion === modelVersion);
        return {
          modelVersion,
          batches: own.length,
          rows: own.reduce((sum, point) => sum + point.rows, 0),
          value: combine(metric ?? "", own) ?? 0,
        };
      }),
      unscored: input.unscored.map((batch) => ({
        batchId: batch.batch_id,
        modelVersion: Number(batch.model_version),
        runId: batch.run_id,
        reason: batch.reason,
      })),
    },
    served: {
      perVersion: served.versions.map(figure),
      overTime: served.over_time.map((row) => ({ ...figure(row), periodStart: row.period_start })),
      labels: {
        received: Number(served.labels?.received ?? 0),
        duplicates: Number(served.labels?.duplicates ?? 0),
        conflicting: Number(served.labels?.conflicting ?? 0),
        late: Number(served.labels?.late ?? 0),
        unmatched: Number(served.labels?.unmatched ?? 0),
        unlabelled: Number(served.labels?.unlabelled ?? 0),
      },
    },
    runs: { total: input.runs.length, byTrigger },
    promotions: input.audit.filter((entry) => entry.action === "promote" || entry.action === "manual-promote").length,
    rejections: input.audit.filter((entry) => entry.action === "reject").length,
    driftEvents: published.length,
  };
}

const BAR_WIDTH = 30;

/** One line per scored batch: markers (R retrained, D drift), a bar of the value and the cumulative figure. */
export function curveLines(curve: LearningCurve): string[] {
  const points = curve.prequential.points;
  const top = isLowerBetter(curve.metric) ? Math.max(...points.map((point) => point.value), 1e-9) : 1;
  return points.map((point) => {
    const filled = Math.round((Math.min(Math.max(point.value, 0), top) / top) * BAR_WIDTH);
    const marks = `${point.retrained ? "R" : " "}${point.drift ? "D" : " "}`;
    const bar = `${"█".repeat(filled)}${"·".repeat(BAR_WIDTH - filled)}`;
    return `${marks} v${point.modelVersion} ${bar} ${point.value.toFixed(3)}  cum ${point.cumulative.toFixed(3)}  ${point.batchId}`;
  });
}
