import type { Bus } from "@gyre/bus";
import { newEvent, type PredictionRecord, type ServingRole } from "@gyre/contracts";
import type { Logger } from "@gyre/log";
import type { ModelSignature } from "@gyre/model";
import type { ModelOutput } from "./model-runner.ts";
import type { RequestFeatures } from "./request-inputs.ts";
import type { ServingMetrics } from "./serving-metrics.ts";

export interface PredictionLogOptions {
  bus: Bus;
  log: Logger;
  metrics: ServingMetrics;
  /** Event source and id prefix, unique per replica. */
  instance: string;
  /** Share of requests logged, 0 to 1. */
  sampleRate: number;
  /** Longest a record waits before its batch is published. */
  flushMs: number;
  /** Records per predictions.logged event at most. */
  maxRecordsPerEvent: number;
  /** Records held while publishes are slow or failing; beyond this new ones are dropped and counted. */
  maxBufferedRecords: number;
}

/** One logged request: built into records only when its batch is published, off the request path. */
interface LoggedRequest {
  requestId: string;
  at: string;
  signature: ModelSignature;
  features: RequestFeatures;
  output: ModelOutput;
}

interface Group {
  dataset: string;
  modelVersion: number;
  role: ServingRole;
  requests: LoggedRequest[];
  records: number;
}

const MAX_PUBLISHES_IN_FLIGHT = 4;
const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,179}$/;

/**
 * Sampled prediction logging to `predictions.logged`: requests are buffered per dataset, version and role and
 * published in batches on a timer, never on the request path. When NATS is down the publishes fail (or the buffer
 * fills) and the records are dropped and counted in gyre_serving_prediction_logs_dropped_total; answering goes on.
 */
export class PredictionLog {
  readonly #options: PredictionLogOptions;
  readonly #groups = new Map<string, Group>();
  #buffered = 0;
  #inFlight = 0;
  #sequence = 0;
  #timer: NodeJS.Timeout | undefined;
  #publishing = new Set<Promise<void>>();

  constructor(options: PredictionLogOptions) {
    this.#options = options;
  }

  /** Whether this request is in the sample. */
  sampled(): boolean {
    const rate = this.#options.sampleRate;
    return rate >= 1 || (rate > 0 && Math.random() < rate);
  }

  /** A request id that fits the contract: the client's id when it does, else one of this replica's own. */
  requestId(clientId: string): string {
    if (REQUEST_ID.test(clientId)) return clientId;
    this.#sequence += 1;
    return `${this.#options.instance}-${this.#sequence}`;
  }

  add(dataset: string, modelVersion: number, role: ServingRole, request: LoggedRequest): void {
    const rows = request.features.rows;
    if (this.#buffered + rows > this.#options.maxBufferedRecords) {
      this.#options.metrics.logsDropped.inc({ reason: "buffer_full" }, rows);
      return;
    }
    const key = `${dataset}\u0000${modelVersion}\u0000${role}`;
    let group = this.#groups.get(key);
    if (!group) {
      group = { dataset, modelVersion, role, requests: [], records: 0 };
      this.#groups.set(key, group);
    }
    group.requests.push(request);
    group.records += rows;
    this.#buffered += rows;
    if (group.records >= this.#options.maxRecordsPerEvent) this.#flushSoon(0);
    else this.#flushSoon(this.#options.flushMs);
  }

  /** Publishes what is buffered and waits for the publishes in flight (shutdown, tests). */
  async flush(): Promise<void> {
    this.#flush();
    await Promise.allSettled([...this.#publishing]);
  }

  #flushSoon(delayMs: number): void {
    if (this.#timer && delayMs > 0) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#flush(), delayMs);
    this.#timer.unref();
  }

  #flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const [key, group] of this.#groups) {
      if (this.#inFlight >= MAX_PUBLISHES_IN_FLIGHT) break;
      this.#groups.delete(key);
      this.#publishGroup(group);
    }
    if (this.#groups.size > 0) this.#flushSoon(this.#options.flushMs);
  }

  #publishGroup(group: Group): void {
    for (const chunk of eventChunks(group.requests.flatMap(toRecords), this.#options.maxRecordsPerEvent)) {
      this.#sequence += 1;
      const event = newEvent(
        "predictions.logged",
        `serving/${this.#options.instance}`,
        { dataset: group.dataset, modelVersion: group.modelVersion, role: group.role, records: chunk },
        { id: `predictions-${this.#options.instance}-${this.#sequence}` },
      );
      this.#inFlight += 1;
      const publishing = this.#options.bus
        .publish(event, group.dataset)
        .then(
          () => this.#options.metrics.logsPublished.inc(chunk.length),
          (error: unknown) => {
            this.#options.metrics.logsDropped.inc({ reason: "publish_failed" }, chunk.length);
            this.#options.log.warn(
              { event: "predictions.publish_failed", dataset: group.dataset, records: chunk.length, err: error },
              "prediction log dropped",
            );
          },
        )
        .finally(() => {
          this.#inFlight -= 1;
          this.#buffered -= chunk.length;
          this.#publishing.delete(publishing);
        });
      this.#publishing.add(publishing);
    }
  }
}

/** NATS takes 1 MiB per message by default: events stay well under it, whatever the width of a record. */
const MAX_EVENT_BYTES = 700 * 1024;

/** Records cut into events of at most `maxRecords` records and about MAX_EVENT_BYTES of JSON. */
export function eventChunks(records: readonly PredictionRecord[], maxRecords: number): PredictionRecord[][] {
  const chunks: PredictionRecord[][] = [];
  let chunk: PredictionRecord[] = [];
  let bytes = 0;
  for (const record of records) {
    const size = JSON.stringify(record).length;
    if (chunk.length > 0 && (chunk.length >= maxRecords || bytes + size > MAX_EVENT_BYTES)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(record);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/** One record per row: the feature values as sent, and the model's answer for that row. */
function toRecords(request: LoggedRequest): PredictionRecord[] {
  const { features, output, signature } = request;
  const records: PredictionRecord[] = [];
  for (let row = 0; row < features.rows; row++) {
    const inputs: PredictionRecord["inputs"] = {};
    signature.inputs.forEach((input, index) => {
      const column = features.columns[index];
      if (!column) return;
      const value = column.values[row] as string | number;
      inputs[input.name] = input.type === "boolean" ? value === 1 : value;
    });
    let outputs: PredictionRecord["outputs"];
    if (output.kind === "classification") {
      const width = output.classes.length;
      const probabilities = Array.from(output.probabilities.subarray(row * width, (row + 1) * width));
      outputs = { probabilities, label: output.classes[argmax(probabilities)] ?? "" };
    } else {
      outputs = { value: output.values[row] as number };
    }
    const requestId = features.rows === 1 ? request.requestId : `${request.requestId}.${row}`;
    records.push({ requestId, inputs, outputs, at: request.at });
  }
  return records;
}

/** Index of the largest value; the first on ties (as the label output does). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] as number) > (values[best] as number)) best = i;
  return best;
}
