import { performance } from "node:perf_hooks";
import type { Readable } from "node:stream";
import { type ArtifactStore, ObjectNotFoundError } from "@gyre/artifacts";
import { type Bus, type EventHandler, PermanentError } from "@gyre/bus";
import { type CloudEvent, type DataValidated, type FeaturesUpdated, newEvent, type OnlineRow } from "@gyre/contracts";
import type { Logger } from "@gyre/log";
import { type SpecRevision, type SpecStore, UnknownSpecRevisionError } from "@gyre/spec";
import { ATTR } from "@gyre/telemetry";
import type pg from "pg";
import { ndjsonRowChunks } from "./batchRows.ts";
import { findWrittenBatch, type WrittenBatch, writeBatch } from "./batchWriter.ts";
import { LayoutError, type TableLayout, tableLayout } from "./layout.ts";
import type { FeatureStoreMetrics } from "./metrics.ts";
import { batchOnlineRows } from "./onlineRows.ts";

export const FEATURES_SOURCE = "/gyre/feature-store";

export interface FeatureWriter {
  pool: pg.Pool;
  artifacts: ArtifactStore;
  specs: SpecStore;
  bus: Bus;
  log: Logger;
  metrics: FeatureStoreMetrics;
}

/**
 * Where validation put the batch's valid rows. Events from before `rowsKey` existed name none; validation's
 * layout is `validated/<dataset>/<batchId>.ndjson`, with "~" for the ":" that keys may not hold.
 */
export function rowsKeyOf(batch: Pick<DataValidated, "dataset" | "batchId" | "rowsKey">): string {
  return batch.rowsKey ?? `validated/${batch.dataset}/${batch.batchId.replaceAll(":", "~")}.ndjson`;
}

/** features.updated for a written batch; the id comes from the batch id, so a republish is deduplicated. */
export function featuresUpdatedEvent(
  batch: WrittenBatch & { watermark: string; online?: OnlineRow[] | undefined },
): CloudEvent<FeaturesUpdated> {
  const { batchId, dataset, rowsWritten, watermark, specRevision, labelledRows, online } = batch;
  return newEvent(
    "features.updated",
    FEATURES_SOURCE,
    { batchId, dataset, rowsWritten, watermark, specRevision, labelledRows, ...(online ? { online } : {}) },
    { id: `features-${batchId}` },
  );
}

async function specAt(specs: SpecStore, dataset: string, revision: number): Promise<SpecRevision> {
  try {
    return await specs.get(dataset, revision);
  } catch (err) {
    if (err instanceof UnknownSpecRevisionError) {
      throw new PermanentError(
        `dataset "${dataset}" spec revision ${revision}: not in the spec store (${err.message})`,
      );
    }
    throw err;
  }
}

function layoutOf(spec: SpecRevision): TableLayout {
  try {
    return tableLayout(spec.spec);
  } catch (err) {
    if (err instanceof LayoutError) throw new PermanentError(`spec revision ${spec.revision}: ${err.message}`);
    throw err;
  }
}

/** The validated rows from S3, parsed a chunk at a time as they stream in; a missing object is permanent. */
async function* validatedRows(artifacts: ArtifactStore, key: string): AsyncGenerator<Record<string, unknown>[]> {
  const source = `s3://${artifacts.bucket}/${key}`;
  let body: Readable;
  try {
    body = await artifacts.get(key);
  } catch (err) {
    if (err instanceof ObjectNotFoundError) throw new PermanentError(`validated rows ${source}: no such object`);
    throw err;
  }
  body.setEncoding("utf8");
  yield* ndjsonRowChunks(body, source);
}

/**
 * data.validated → the batch's rows in the offline and online stores, then features.updated. A batch written
 * before (redelivery, a second replica) writes nothing and announces the same event again, under the same id.
 * A write that fails leaves nothing behind and is retried, then dead-lettered with PostgreSQL's reason.
 */
export function validatedBatchHandler(deps: FeatureWriter): EventHandler {
  return async (event, ctx) => {
    const batch = event.data as DataValidated;
    const { batchId, dataset } = batch;
    ctx.span.setAttributes({
      [ATTR.batchId]: batchId,
      [ATTR.dataset]: dataset,
      [ATTR.specRevision]: batch.specRevision,
    });
    const started = performance.now();

    let written = await findWrittenBatch(deps.pool, batchId);
    let online: OnlineRow[] | undefined;
    if (!written) {
      const spec = await specAt(deps.specs, dataset, batch.specRevision);
      const layout = layoutOf(spec);
      const rowsKey = rowsKeyOf(batch);
      written = await writeBatch(deps.pool, {
        batchId,
        sha256: batch.sha256,
        specRevision: batch.specRevision,
        rowsKey,
        spec: spec.spec,
        layout,
        openRows: () => validatedRows(deps.artifacts, rowsKey),
      });
      if (written.created && written.rowsWritten !== batch.validRows) {
        deps.log.warn(
          {
            event: "features.row_count_mismatch",
            batchId,
            dataset,
            rowsKey,
            rows: written.rowsWritten,
            validRows: batch.validRows,
          },
          "validated rows object and event disagree on the row count",
        );
      }
      if (written.created) online = await batchOnlineRows(deps.pool, spec.spec, layout, batchId);
    }

    const outcome = written.created ? "written" : "duplicate";
    deps.metrics.batchesWritten.inc({ dataset, outcome });
    if (written.created) {
      deps.metrics.rowsWritten.inc({ dataset }, written.rowsWritten);
      deps.metrics.writeDuration.observe({ dataset }, (performance.now() - started) / 1000);
    }
    ctx.span.setAttribute(ATTR.batchRows, written.rowsWritten);
    const { watermark } = written;
    if (watermark !== null) await deps.bus.publish(featuresUpdatedEvent({ ...written, watermark, online }), dataset);
    deps.log.info(
      {
        event: written.created ? "features.written" : "features.duplicate",
        batchId,
        dataset,
        specRevision: written.specRevision,
        rows: written.rowsWritten,
        labelledRows: written.labelledRows,
        watermark,
        published: watermark !== null,
        ms: Math.round(performance.now() - started),
      },
      written.created ? "batch written to the feature store" : "batch already in the feature store",
    );
  };
}
