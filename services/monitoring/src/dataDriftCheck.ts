import type { ArtifactStore } from "@gyre/artifacts";
import { type DriftReference, newEvent } from "@gyre/contracts";
import type pg from "pg";
import type { Champion } from "./champions.ts";
import { insertCheck, lastPublishedDrift } from "./checkStore.ts";
import {
  dataDriftDetected,
  driftEventId,
  driftReportKey,
  EVENT_SOURCE,
  suppressedBy,
  windowCheckId,
} from "./driftEvents.ts";
import { type CheckStatus, renderDriftReport } from "./driftReport.ts";
import type { Observation } from "./observe.ts";
import { addToOutbox } from "./outbox.ts";
import { seasonReference } from "./seasonalReference.ts";
import { checkWindow, type WindowCheck } from "./windowCheck.ts";
import { type WindowState, windowBatchIds, windowRows } from "./windowStore.ts";

export interface WindowOutcome {
  id: string;
  status: CheckStatus;
  share: number;
  driftedFeatures: string[];
  check: WindowCheck;
}

/**
 * Tests a full window against the champion's reference, writes its report to S3, records the check, and queues
 * drift.detected on dataset drift unless the cooldown holds it back. Call under the dataset's lock.
 */
export async function checkDataWindow(
  client: pg.PoolClient,
  store: ArtifactStore,
  observation: Observation,
  champion: Champion,
  window: WindowState,
): Promise<WindowOutcome> {
  const { dataset, spec, source } = observation;
  const rows = await windowRows(client, { dataset, source, seq: window.seq });
  const batchIds = source === "batches" ? await windowBatchIds(client, { dataset, source, seq: window.seq }) : null;
  const training = champion.bundle.referenceStats;
  const season =
    spec.drift.seasonalReference && batchIds !== null
      ? await seasonReference(client, dataset, batchIds, training)
      : null;
  const reference: DriftReference = season
    ? { kind: "same-season", rows: season.stats.rows, months: season.months, before: season.before }
    : { kind: "training", rows: training.rows };
  const check = checkWindow(season?.stats ?? training, rows, observation.columns, spec.drift);
  const id = windowCheckId(source, window.seq);
  const eventId = driftEventId(dataset, id);
  const checkedAt = new Date();
  const heldBackBy = check.datasetDrift
    ? suppressedBy({
        last: await lastPublishedDrift(client, dataset),
        now: checkedAt,
        cooldownSeconds: spec.drift.cooldownSeconds,
      })
    : null;
  const status: CheckStatus = !check.datasetDrift ? "no-drift" : heldBackBy === null ? "published" : "suppressed";
  const reportKey = driftReportKey(dataset, id);
  const html = renderDriftReport({
    dataset,
    checkId: id,
    source,
    modelVersion: champion.version,
    referenceRows: reference.rows,
    reference,
    checkedAt,
    policy: spec.drift,
    check,
    status,
    eventId: check.datasetDrift ? eventId : null,
    suppressedBy: heldBackBy,
  });
  await store.put(reportKey, html, { contentType: "text/html; charset=utf-8" });
  await insertCheck(client, {
    dataset,
    id,
    kind: "data",
    source,
    status,
    eventId: check.datasetDrift ? eventId : null,
    suppressedBy: heldBackBy,
    modelVersion: champion.version,
    windowRows: check.rows,
    share: check.share,
    shareThreshold: spec.drift.shareThreshold,
    correction: spec.drift.correction,
    features: check.features.map(({ chart, referenceCount, currentCount, ...feature }) => feature),
    reportKey,
    checkedAt,
  });
  if (status === "published") {
    const detected = dataDriftDetected({
      dataset,
      spec,
      check,
      source,
      reportKey,
      modelVersion: champion.version,
      batchIds,
      reference,
    });
    await addToOutbox(client, newEvent("drift.detected", EVENT_SOURCE, detected, { id: eventId, time: checkedAt }));
  }
  return { id, status, share: check.share, driftedFeatures: check.driftedFeatures, check };
}
