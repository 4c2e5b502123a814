/**
 * A producer as Gyre promises to serve it: each batch goes out as one data.arrived with a fixed event id (its
 * Nats-Msg-Id), and is sent again, under the same id, until JetStream acknowledges it, also while NATS is down or
 * restarting. JetStream drops a repeated id within its duplicate window, and ingestion a repeated batch key after.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Bus } from "@gyre/bus";
import { newEvent } from "@gyre/contracts";
import type { RowBatch } from "./rows.ts";

export interface ProducerFigures {
  batchesSent: number;
  rowsSent: number;
  /** Publish attempts that failed and were repeated (NATS down, timeouts). */
  retries: number;
  /** Acks that JetStream marked duplicate: a retry of a publish whose first ack was lost. */
  duplicateAcks: number;
  ms: number;
}

const PUBLISH_TIMEOUT_MS = 5000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no PubAck within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Sends the batches one after the other, starting one every `intervalMs` (or as soon as the previous one is acked). */
export async function produce(options: {
  bus: Bus;
  dataset: string;
  batches: readonly RowBatch[];
  intervalMs: number;
  deadline: number;
  onSent?(batch: RowBatch, index: number): void;
  onRetry?(batch: RowBatch, error: Error): void;
}): Promise<ProducerFigures> {
  const { bus, dataset, batches, intervalMs, deadline } = options;
  const figures: ProducerFigures = { batchesSent: 0, rowsSent: 0, retries: 0, duplicateAcks: 0, ms: 0 };
  const started = performance.now();
  for (const [index, batch] of batches.entries()) {
    const due = started + index * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const event = newEvent(
      "data.arrived",
      "gyre-reliability",
      { dataset, batchKey: batch.key, format: "csv", rows: batch.csv, labelled: true },
      { id: `arrived-${batch.key}` },
    );
    for (let attempt = 1; ; attempt++) {
      try {
        const ack = await withTimeout(bus.publish(event, dataset), PUBLISH_TIMEOUT_MS);
        if (ack.duplicate) figures.duplicateAcks++;
        break;
      } catch (err) {
        if (Date.now() > deadline) {
          throw new Error(
            `batch ${batch.key} not acknowledged by JetStream after ${attempt} attempts: ${(err as Error).message}`,
          );
        }
        figures.retries++;
        options.onRetry?.(batch, err as Error);
        await sleep(Math.min(250 * attempt, 2000));
      }
    }
    figures.batchesSent++;
    figures.rowsSent += batch.rows;
    options.onSent?.(batch, index);
  }
  figures.ms = performance.now() - started;
  return figures;
}
