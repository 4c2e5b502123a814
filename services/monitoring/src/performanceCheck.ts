import { newEvent } from "@gyre/contracts";
import type pg from "pg";
import type { Champion } from "./champions.ts";
import { insertCheck, insertPrequential, lastPublishedDrift } from "./checkStore.ts";
import {
  driftEventId,
  EVENT_SOURCE,
  performanceCheckId,
  performanceDriftDetected,
  performanceEventId,
  performanceMeasured,
  suppressedBy,
} from "./driftEvents.ts";
import type { CheckStatus } from "./driftReport.ts";
import type { Observation } from "./observe.ts";
import { addToOutbox } from "./outbox.ts";
import { type PrequentialScore, performanceVerdict } from "./performance.ts";

export interface PerformanceOutcome {
  value: number;
  threshold: number;
  status: CheckStatus;
}

/**
 * Records the champion's score on a labelled batch and queues performance.measured; when the score broke the
 * spec's threshold, records a performance check and queues drift.detected unless the cooldown holds it back.
 * Call under the dataset's lock.
 */
export async function recordPerformance(
  client: pg.PoolClient,
  observation: Observation,
  champion: Champion,
  score: PrequentialScore,
): Promise<PerformanceOutcome> {
  const { dataset, batchId, spec } = observation;
  const verdict = performanceVerdict(
    score.metric,
    score.value,
    score.holdoutValue,
    spec.drift.performanceDropThreshold,
  );
  const measuredAt = new Date();
  await insertPrequential(client, {
    dataset,
    batchId,
    modelVersion: champion.version,
    metric: score.metric,
    value: score.value,
    championHoldoutValue: score.holdoutValue,
    rows: score.rows,
    performanceDrift: verdict.drifted,
    measuredAt,
  });
  const measured = performanceMeasured({ dataset, batchId, score, modelVersion: champion.version });
  await addToOutbox(
    client,
    newEvent("performance.measured", EVENT_SOURCE, measured, {
      id: performanceEventId(dataset, batchId),
      time: measuredAt,
    }),
  );
  if (!verdict.drifted) return { value: score.value, threshold: verdict.threshold, status: "no-drift" };

  const id = performanceCheckId(batchId);
  const eventId = driftEventId(dataset, id);
  const heldBackBy = suppressedBy({
    last: await lastPublishedDrift(client, dataset),
    now: measuredAt,
    cooldownSeconds: spec.drift.cooldownSeconds,
  });
  const status: CheckStatus = heldBackBy === null ? "published" : "suppressed";
  await insertCheck(client, {
    dataset,
    id,
    kind: "performance",
    source: "batches",
    status,
    eventId,
    suppressedBy: heldBackBy,
    modelVersion: champion.version,
    windowRows: score.rows,
    share: 1,
    shareThreshold: spec.drift.shareThreshold,
    correction: "none",
    features: [
      {
        name: score.metric,
        test: "performance",
        statistic: score.value,
        pValue: null,
        adjustedPValue: null,
        threshold: verdict.threshold,
        psi: null,
        jsd: null,
        drifted: true,
      },
    ],
    reportKey: null,
    checkedAt: measuredAt,
  });
  if (status === "published") {
    const detected = performanceDriftDetected({
      dataset,
      spec,
      score,
      verdict,
      modelVersion: champion.version,
      batchId,
    });
    await addToOutbox(client, newEvent("drift.detected", EVENT_SOURCE, detected, { id: eventId, time: measuredAt }));
  }
  return { value: score.value, threshold: verdict.threshold, status };
}
