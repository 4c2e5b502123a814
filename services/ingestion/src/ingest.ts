import { randomUUID } from "node:crypto";
import type { ArtifactStore } from "@gyre/artifacts";
import type { Bus, EventHandler } from "@gyre/bus";
import { type CloudEvent, type DataArrived, type DataIngested, newEvent } from "@gyre/contracts";
import type { Logger } from "@gyre/log";
import { type SpecRevision, type SpecStore, UnknownDatasetError } from "@gyre/spec";
import { ATTR } from "@gyre/telemetry";
import type { Span } from "@opentelemetry/api";
import type pg from "pg";
import { profileRawBatch } from "./batchProfile.ts";
import { type BatchRecord, type DuplicateMatch, findBatch, insertBatch, recordRejection } from "./batchRecords.ts";
import type { IngestionMetrics } from "./metrics.ts";
import { inlineBatch, type RawBatch, referencedBatch, type StoreForBucket } from "./rawBatch.ts";
import { BatchRejectedError } from "./rejection.ts";

export const INGESTED_SOURCE = "/gyre/ingestion";

export interface IngestionLimits {
  maxBatchBytes: number;
  maxRows: number;
}

export interface Ingestion {
  pool: pg.Pool;
  specs: SpecStore;
  /** Where raw batches are kept, as sent, under `raw/<dataset>/<sha256>.<format>[.gz]`. */
  rawStore: ArtifactStore;
  /** Stores of the buckets `s3://` references name. */
  storeFor: StoreForBucket;
  bus: Bus;
  log: Logger;
  metrics: IngestionMetrics;
  limits: IngestionLimits;
}

const CONTENT_TYPES = {
  csv: "text/csv",
  ndjson: "application/x-ndjson",
  json: "application/json",
  parquet: "application/vnd.apache.parquet",
} as const;

/** The extension of a raw batch's key, which says how to read it: `csv`, `csv.gz`, `parquet`, ... */
export function rawExtension(arrival: Pick<DataArrived, "format" | "compression">): string {
  return arrival.compression === "gzip" ? `${arrival.format}.gz` : arrival.format;
}

/** The data.ingested of a batch; its id comes from the batch id, so a republish is deduplicated by JetStream. */
export function ingestedEvent(batch: BatchRecord): CloudEvent<DataIngested> {
  const { batchId, dataset, sha256, objectKey, rowCount, eventTimeMin, eventTimeMax, specRevision, batchKey } = batch;
  const data = { batchId, dataset, sha256, objectKey, rowCount, eventTimeMin, eventTimeMax, specRevision, batchKey };
  return newEvent("data.ingested", INGESTED_SOURCE, data, { id: `ingested-${batchId}` });
}

async function currentSpec(specs: SpecStore, dataset: string): Promise<SpecRevision> {
  try {
    return await specs.current(dataset);
  } catch (error) {
    if (error instanceof UnknownDatasetError) throw new BatchRejectedError("unknown_dataset", error.message);
    throw error;
  }
}

/**
 * An arrival that is a batch already recorded. The event that recorded it may have died before announcing it,
 * so when this is that same event again, data.ingested goes out again under the same id.
 */
async function acceptDuplicate(
  deps: Ingestion,
  eventId: string,
  arrival: DataArrived,
  found: { batch: BatchRecord; matched: DuplicateMatch },
): Promise<void> {
  const { batch, matched } = found;
  const republished = batch.sourceEventId === eventId;
  if (republished) await deps.bus.publish(ingestedEvent(batch), batch.dataset);
  deps.metrics.duplicates.inc({ matched });
  deps.log.info(
    {
      event: "batch.duplicate",
      eventId,
      dataset: arrival.dataset,
      batchKey: arrival.batchKey,
      batchId: batch.batchId,
      existingBatchKey: batch.batchKey,
      matched,
      republished,
    },
    "batch already ingested",
  );
}

/**
 * Puts the raw bytes under their content address. Not asked first whether the object is there: a batch reaches
 * this point only when no recorded batch has these bytes, so it is there only after a crash or a racing replica,
 * and putting the same bytes under the same key again changes nothing. One request instead of two.
 */
async function storeRaw(store: ArtifactStore, arrival: DataArrived, raw: RawBatch): Promise<string> {
  const key = `raw/${arrival.dataset}/${raw.sha256}.${rawExtension(arrival)}`;
  await store.put(key, raw.bytes ?? raw.open(), {
    contentType: arrival.compression === "gzip" ? "application/gzip" : CONTENT_TYPES[arrival.format],
    metadata: { sha256: raw.sha256 },
  });
  return key;
}

async function ingestRaw(
  deps: Ingestion,
  eventId: string,
  arrival: DataArrived,
  spec: SpecRevision,
  raw: RawBatch,
  span: Span,
): Promise<void> {
  const { dataset, format } = arrival;
  const sameBytes = await findBatch(deps.pool, dataset, { sha256: raw.sha256 });
  if (sameBytes) return acceptDuplicate(deps, eventId, arrival, sameBytes);

  const profile = await profileRawBatch(arrival, raw, {
    eventTime: spec.spec.eventTime,
    maxRows: deps.limits.maxRows,
    maxBytes: deps.limits.maxBatchBytes,
  });
  const batch: BatchRecord = {
    batchId: randomUUID(),
    dataset,
    batchKey: arrival.batchKey,
    sha256: raw.sha256,
    objectKey: await storeRaw(deps.rawStore, arrival, raw),
    format,
    compression: arrival.compression ?? null,
    sizeBytes: raw.size,
    ...profile,
    specRevision: spec.revision,
    sourceEventId: eventId,
  };
  if (!(await insertBatch(deps.pool, batch))) {
    // another delivery or replica recorded the same key or bytes between our look-up and our insert
    const raced = await findBatch(deps.pool, dataset, { batchKey: arrival.batchKey, sha256: raw.sha256 });
    if (!raced) throw new Error(`batch ${arrival.batchKey} of dataset "${dataset}" conflicted but cannot be found`);
    return acceptDuplicate(deps, eventId, arrival, raced);
  }
  span.setAttributes({ [ATTR.batchId]: batch.batchId, [ATTR.batchRows]: batch.rowCount });
  await deps.bus.publish(ingestedEvent(batch), dataset);
  deps.metrics.batches.inc({ dataset, format: rawExtension(arrival) });
  deps.metrics.rows.inc({ dataset }, batch.rowCount);
  deps.metrics.bytes.inc({ dataset }, batch.sizeBytes);
  deps.log.info(
    {
      event: "batch.ingested",
      eventId,
      dataset,
      batchKey: batch.batchKey,
      batchId: batch.batchId,
      sha256: batch.sha256,
      objectKey: batch.objectKey,
      format,
      compression: batch.compression,
      rows: batch.rowCount,
      bytes: batch.sizeBytes,
      eventTimeMin: batch.eventTimeMin,
      eventTimeMax: batch.eventTimeMax,
      specRevision: batch.specRevision,
    },
    "batch ingested",
  );
}

async function ingest(deps: Ingestion, eventId: string, arrival: DataArrived, span: Span): Promise<void> {
  const sameKey = await findBatch(deps.pool, arrival.dataset, { batchKey: arrival.batchKey });
  if (sameKey) return acceptDuplicate(deps, eventId, arrival, sameKey);

  const spec = await currentSpec(deps.specs, arrival.dataset);
  const { maxBatchBytes } = deps.limits;
  const raw =
    arrival.ref === undefined
      ? inlineBatch(arrival, maxBatchBytes)
      : await referencedBatch(arrival.ref, deps.storeFor, maxBatchBytes);
  span.setAttribute(ATTR.contentHash, raw.sha256);
  try {
    await ingestRaw(deps, eventId, arrival, spec, raw, span);
  } finally {
    await raw.remove();
  }
}

/** Handles data.arrived: bad input is recorded in `rejected_arrivals` and sent to the DLQ with its reason. */
export function ingestionHandler(deps: Ingestion): EventHandler {
  return async (event, { span }) => {
    // the bus delivers only events that passed dataArrivedSchema
    const arrival = event.data as DataArrived;
    span.setAttribute(ATTR.dataset, arrival.dataset);
    try {
      await ingest(deps, event.id, arrival, span);
    } catch (error) {
      if (error instanceof BatchRejectedError) {
        const { kind, message: reason } = error;
        span.setAttribute(ATTR.rejectReason, kind);
        await recordRejection(deps.pool, {
          eventId: event.id,
          dataset: arrival.dataset,
          batchKey: arrival.batchKey,
          kind,
          reason,
        });
        deps.metrics.rejected.inc({ reason: kind });
        deps.log.warn(
          {
            event: "batch.rejected",
            eventId: event.id,
            dataset: arrival.dataset,
            batchKey: arrival.batchKey,
            kind,
            reason,
          },
          "batch rejected",
        );
      }
      throw error;
    }
  };
}
