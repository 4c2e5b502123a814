import { createHash } from "node:crypto";
import { type ArtifactStore, ObjectNotFoundError } from "@gyre/artifacts";
import type { Bus, EventHandler } from "@gyre/bus";
import type { DataIngested, GyreEvent } from "@gyre/contracts";
import type { Logger } from "@gyre/log";
import type { SpecRevision, SpecStore } from "@gyre/spec";
import { ATTR } from "@gyre/telemetry";
import type pg from "pg";
import { specForBatch } from "./batchSpec.ts";
import { eventAnomalies, eventReason, eventStatistics } from "./contractShapes.ts";
import { countBatch, type ValidationMetrics } from "./metrics.ts";
import { publishOutcome } from "./outcomeEvent.ts";
import { type RawBatch, rawBatchKindOfKey, readStoredBatch, UnreadableBatchError } from "./rawBatch.ts";
import { buildValidationReport, unreadableBatchReport, type ValidationReport } from "./report.ts";
import { getReport } from "./reportQueries.ts";
import { type NewReport, saveReport } from "./reportStore.ts";

export type ValidationDeps = {
  bus: Bus;
  specs: SpecStore;
  artifacts: ArtifactStore;
  pool: pg.Pool;
  log: Logger;
  metrics: ValidationMetrics;
  /** Largest raw batch read once decompressed (VALIDATION_MAX_BATCH_BYTES). */
  maxBatchBytes: number;
};

/**
 * Handles data.ingested: checks the raw batch against its spec revision, writes the valid rows (typed NDJSON)
 * and the full report to S3, stores the report and quarantined rows in PostgreSQL in one transaction, and
 * publishes data.validated or data.rejected. A batch already reported is not checked again: its stored outcome
 * is republished under the same event id.
 */
export function dataIngestedHandler(deps: ValidationDeps): EventHandler {
  return async (event, ctx) => {
    const batch = (event as GyreEvent<"data.ingested">).data;
    ctx.span.setAttributes({ [ATTR.batchId]: batch.batchId, [ATTR.dataset]: batch.dataset });
    const earlier = await getReport(deps.pool, batch.batchId);
    if (earlier !== null) {
      const published = await publishOutcome(deps.bus, earlier);
      deps.log.info(
        {
          event: "batch.already_validated",
          batchId: batch.batchId,
          dataset: batch.dataset,
          decision: earlier.decision,
          duplicate: published.duplicate,
        },
        "batch already validated; its outcome was republished",
      );
      return;
    }
    const spec = await specForBatch(deps.specs, batch, deps.log);
    const report = await checkBatch(deps, batch, spec);
    ctx.span.setAttributes({ [ATTR.specRevision]: spec.revision, [ATTR.batchRows]: report.rowCount });
    const keys = batchObjectKeys(batch);
    const rowsKey = report.decision === "accept" ? keys.rowsKey : null;
    if (rowsKey !== null) {
      await deps.artifacts.put(rowsKey, typedRowsNdjson(report), { contentType: "application/x-ndjson" });
    }
    const document = reportDocument(batch, report, rowsKey);
    await deps.artifacts.put(keys.reportKey, `${JSON.stringify(document)}\n`, { contentType: "application/json" });
    const saved = await saveReport(
      deps.pool,
      storedReport(batch, spec, report, keys.reportKey, rowsKey),
      report.quarantined,
    );
    await publishOutcome(deps.bus, saved.report);
    if (!saved.inserted) return;
    countBatch(deps.metrics, saved.report);
    const { batchId, dataset, decision, reason, rowCount, validRows, invalidRows } = saved.report;
    if (decision === "reject") ctx.span.setAttribute(ATTR.rejectReason, reason);
    deps.log.info(
      {
        event: decision === "accept" ? "batch.validated" : "batch.rejected",
        batchId,
        dataset,
        specRevision: spec.revision,
        rowCount,
        validRows,
        invalidRows,
        reason,
      },
      decision === "accept" ? "batch validated" : "batch rejected",
    );
  };
}

/** The report of the raw batch; one that cannot be read (missing, unknown format, malformed) is rejected whole. */
async function checkBatch(deps: ValidationDeps, batch: DataIngested, spec: SpecRevision): Promise<ValidationReport> {
  let raw: RawBatch;
  try {
    const kind = rawBatchKindOfKey(batch.objectKey);
    const bytes = await deps.artifacts.getBuffer(batch.objectKey);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    if (sha256 !== batch.sha256) {
      throw new UnreadableBatchError(
        `raw batch "${batch.objectKey}" has SHA-256 ${sha256}, but data.ingested says ${batch.sha256}`,
      );
    }
    raw = await readStoredBatch(kind, bytes, deps.maxBatchBytes);
  } catch (error) {
    if (!(error instanceof UnreadableBatchError || error instanceof ObjectNotFoundError)) throw error;
    const reason = error instanceof ObjectNotFoundError ? `raw batch is missing: ${error.message}` : error.message;
    deps.log.warn(
      { event: "batch.unreadable", batchId: batch.batchId, dataset: batch.dataset, objectKey: batch.objectKey, reason },
      "raw batch is unreadable",
    );
    return unreadableBatchReport(spec.spec, spec.revision, reason);
  }
  if (raw.rows.length !== batch.rowCount) {
    deps.log.warn(
      { event: "batch.row_count_mismatch", batchId: batch.batchId, ingested: batch.rowCount, read: raw.rows.length },
      "row count differs from the one ingestion reported",
    );
  }
  return buildValidationReport(spec.spec, spec.revision, raw.header, raw.rows);
}

/**
 * Where a batch's outputs go in S3. Batch ids may hold ":", which object keys may not; "~", which batch ids
 * may not hold, stands in for it, so distinct ids keep distinct keys.
 */
export function batchObjectKeys(batch: { dataset: string; batchId: string }): { reportKey: string; rowsKey: string } {
  const name = batch.batchId.replaceAll(":", "~");
  return { reportKey: `reports/${batch.dataset}/${name}.json`, rowsKey: `validated/${batch.dataset}/${name}.ndjson` };
}

/** One typed row per line, feature and label columns only, in batch order. */
function typedRowsNdjson(report: ValidationReport): string {
  return report.validRows.map((row) => `${JSON.stringify(row)}\n`).join("");
}

/** The full report kept in S3: the row-level detail that the event and the table leave out. */
function reportDocument(batch: DataIngested, report: ValidationReport, rowsKey: string | null) {
  const { validRows, quarantined, ...summary } = report;
  return {
    batchId: batch.batchId,
    sha256: batch.sha256,
    objectKey: batch.objectKey,
    rowsKey,
    ...summary,
    validRows: validRows.length,
    invalidRows: quarantined.length,
    quarantined,
  };
}

function storedReport(
  batch: DataIngested,
  spec: SpecRevision,
  report: ValidationReport,
  reportKey: string,
  rowsKey: string | null,
): NewReport {
  return {
    batchId: batch.batchId,
    dataset: batch.dataset,
    sha256: batch.sha256,
    specRevision: spec.revision,
    decision: report.decision,
    reason: eventReason(report.reason),
    rowCount: report.rowCount,
    validRows: report.validRows.length,
    invalidRows: report.quarantined.length,
    statistics: eventStatistics(report.statistics, spec.spec.label.name),
    anomalies: eventAnomalies(report),
    notes: report.notes,
    reportKey,
    rowsKey,
  };
}
