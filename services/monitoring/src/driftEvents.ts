import { createHash } from "node:crypto";
import type { DriftDetected, DriftReference, PerformanceMeasured } from "@gyre/contracts";
import type { DatasetSpec } from "@gyre/spec";
import type { PerformanceVerdict, PrequentialScore } from "./performance.ts";
import type { WindowCheck } from "./windowCheck.ts";

export const EVENT_SOURCE = "gyre/monitoring";

/** Where a data window's rows come from: validated batches, or serving's logged inputs. */
export type WindowSource = "batches" | "predictions";

/** CloudEvent ids are at most 200 characters; longer ones keep a readable head and a hash of the whole. */
const MAX_EVENT_ID = 200;

function boundedId(id: string): string {
  if (id.length <= MAX_EVENT_ID) return id;
  const hash = createHash("sha256").update(id).digest("hex").slice(0, 32);
  return `${id.slice(0, MAX_EVENT_ID - hash.length - 1)}-${hash}`;
}

/** A batch id as one S3 key segment (":" is not allowed there), as validation names its objects. */
function keySegment(id: string): string {
  return id.replaceAll(":", "~");
}

/** A window check: `<source>-<window number>`, unique per dataset. */
export function windowCheckId(source: WindowSource, seq: number): string {
  return `${source}-${seq}`;
}

export function performanceCheckId(batchId: string): string {
  return `performance-${keySegment(batchId)}`;
}

/** One drift.detected per check, so a redelivered batch republishes the same id and JetStream drops it. */
export function driftEventId(dataset: string, checkId: string): string {
  return boundedId(`drift-${dataset}-${checkId}`);
}

export function performanceEventId(dataset: string, batchId: string): string {
  return boundedId(`performance-${dataset}-${batchId}`);
}

/** `reports/drift/<dataset>/<check id>.html`. */
export function driftReportKey(dataset: string, checkId: string): string {
  return `reports/drift/${dataset}/${checkId}.html`;
}

export interface CooldownState {
  /** The latest drift.detected published for the dataset, if any. */
  last: { eventId: string; at: Date } | null;
  now: Date;
  cooldownSeconds: number;
}

/** The event that keeps a new drift.detected back (its cooldown has not passed), or null when one may go out. */
export function suppressedBy({ last, now, cooldownSeconds }: CooldownState): string | null {
  if (last === null || cooldownSeconds <= 0) return null;
  return now.getTime() - last.at.getTime() < cooldownSeconds * 1000 ? last.eventId : null;
}

export function dataDriftDetected(input: {
  dataset: string;
  spec: Pick<DatasetSpec, "drift">;
  check: WindowCheck;
  source: WindowSource;
  reportKey: string;
  modelVersion: number;
  /** The window's batches (source batches); null for a window of logged predictions. */
  batchIds: string[] | null;
  reference?: DriftReference;
}): DriftDetected {
  const { check, spec } = input;
  return {
    dataset: input.dataset,
    kind: "data",
    features: check.features
      .filter((feature) => feature.drifted)
      .map((feature) => ({
        name: feature.name,
        test: feature.test,
        statistic: feature.statistic,
        pValue: feature.pValue,
        threshold: feature.threshold,
        psi: feature.psi,
        jsd: Math.min(Math.max(feature.jsd, 0), 1),
        ...(feature.effectThreshold === null
          ? {}
          : {
              effectSize: {
                measure: feature.effect.measure,
                value: Math.max(feature.effect.value, 0),
                threshold: feature.effectThreshold,
              },
            }),
        rule: feature.rule,
        firedBy: feature.firedBy,
      })),
    correction: spec.drift.correction,
    share: check.share,
    threshold: spec.drift.shareThreshold,
    reportKey: input.reportKey,
    ...(input.reference ? { reference: input.reference } : {}),
    window: {
      source: input.source,
      rows: check.rows,
      ...(input.batchIds === null ? {} : { batchIds: input.batchIds }),
    },
    modelVersion: input.modelVersion,
  };
}

export function performanceDriftDetected(input: {
  dataset: string;
  spec: Pick<DatasetSpec, "drift">;
  score: PrequentialScore;
  verdict: PerformanceVerdict;
  modelVersion: number;
  batchId: string;
}): DriftDetected {
  const { score } = input;
  return {
    dataset: input.dataset,
    kind: "performance",
    features: [
      {
        name: score.metric,
        test: "performance",
        statistic: score.value,
        pValue: null,
        threshold: input.verdict.threshold,
      },
    ],
    correction: "none",
    share: 1,
    threshold: input.spec.drift.shareThreshold,
    reportKey: null,
    window: { source: "batches", rows: score.rows, batchIds: [input.batchId] },
    modelVersion: input.modelVersion,
  };
}

export function performanceMeasured(input: {
  dataset: string;
  batchId: string;
  score: PrequentialScore;
  modelVersion: number;
}): PerformanceMeasured {
  return {
    dataset: input.dataset,
    batchId: input.batchId,
    modelVersion: input.modelVersion,
    metric: input.score.metric,
    value: input.score.value,
    championHoldoutValue: input.score.holdoutValue,
    rows: input.score.rows,
  };
}
