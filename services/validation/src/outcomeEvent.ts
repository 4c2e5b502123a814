import { createHash } from "node:crypto";
import type { Bus, PublishResult } from "@gyre/bus";
import { type GyreEvent, newEvent } from "@gyre/contracts";
import type { StoredReport } from "./reportQueries.ts";

export const EVENT_SOURCE = "gyre/validation";
const MAX_EVENT_ID_LENGTH = 200;

/**
 * data.validated or data.rejected for a stored report. Everything comes from the stored row, the time included,
 * so a redelivered data.ingested republishes the very same event, and its id lets JetStream drop the repeat.
 */
export function outcomeEvent(report: StoredReport): GyreEvent<"data.validated" | "data.rejected"> {
  const data = {
    batchId: report.batchId,
    dataset: report.dataset,
    sha256: report.sha256,
    specRevision: report.specRevision,
    rowCount: report.rowCount,
    validRows: report.validRows,
    invalidRows: report.invalidRows,
    statistics: report.statistics,
    anomalies: report.anomalies,
    reportKey: report.reportKey,
  };
  const time = new Date(report.createdAt);
  if (report.decision === "reject") {
    const id = outcomeEventId("rejected", report.batchId);
    return newEvent("data.rejected", EVENT_SOURCE, { ...data, reason: report.reason }, { id, time });
  }
  const rowsKey = report.rowsKey === null ? {} : { rowsKey: report.rowsKey };
  const id = outcomeEventId("validated", report.batchId);
  return newEvent("data.validated", EVENT_SOURCE, { ...data, ...rowsKey }, { id, time });
}

export function publishOutcome(bus: Bus, report: StoredReport): Promise<PublishResult> {
  return bus.publish(outcomeEvent(report), report.dataset);
}

/** `validated-<batchId>`; a batch id too long for that (ids have at most 200 characters) is replaced by its hash. */
export function outcomeEventId(outcome: "validated" | "rejected", batchId: string): string {
  const id = `${outcome}-${batchId}`;
  if (id.length <= MAX_EVENT_ID_LENGTH) return id;
  return `${outcome}-sha256-${createHash("sha256").update(batchId).digest("hex")}`;
}
