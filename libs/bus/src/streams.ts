import { parseName } from "@gyre/contracts";
import {
  DiscardPolicy,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";
import { isStreamNotFound } from "./api-errors.ts";
import { ProvisioningError } from "./errors.ts";

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

export interface StreamNames {
  /** Every event of the namespace: `<ns>.<event type>.<dataset>`. */
  events: string;
  /** Dead letters of every service: `<ns>.dlq.<service>`. */
  dlq: string;
}

export interface StreamOptions {
  /** How long events are kept; default 7 days. */
  eventsMaxAgeMs?: number;
  /** How long dead letters are kept for operators; default 30 days. */
  dlqMaxAgeMs?: number;
  /** Window in which a repeated Nats-Msg-Id is dropped; default 2 minutes. */
  duplicateWindowMs?: number;
  /**
   * Stream replicas in a clustered NATS (3 keeps acknowledged events through the loss of one server). Streams are
   * created with 1 when unset, and an existing stream keeps its replicas when unset, so a tool connecting without the
   * setting never scales a stream down.
   */
  replicas?: number;
}

/** `GYRE_<NS>_EVENTS` and `GYRE_<NS>_DLQ`; "-" becomes "_" because stream names are also subject tokens. */
export function streamNames(namespace: string): StreamNames {
  const token = parseName("namespace", namespace).toUpperCase().replaceAll("-", "_");
  return { events: `GYRE_${token}_EVENTS`, dlq: `GYRE_${token}_DLQ` };
}

export function eventStreamSubjects(namespace: string): string[] {
  return [`${namespace}.*.*.*`];
}

export function dlqStreamSubjects(namespace: string): string[] {
  return [`${namespace}.dlq.*`];
}

type ManagedConfig = Pick<
  StreamConfig,
  | "name"
  | "subjects"
  | "storage"
  | "retention"
  | "discard"
  | "max_age"
  | "duplicate_window"
  | "num_replicas"
  | "allow_direct"
>;

export function desiredStreamConfigs(namespace: string, options: StreamOptions = {}): ManagedConfig[] {
  const names = streamNames(namespace);
  const replicas = options.replicas ?? 1;
  // allow_direct: operators read dead letters (and events) by subject without creating consumers
  const common = {
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    allow_direct: true,
  };
  return [
    {
      ...common,
      name: names.events,
      subjects: eventStreamSubjects(namespace),
      max_age: nanos(options.eventsMaxAgeMs ?? 7 * DAY_MS),
      duplicate_window: nanos(options.duplicateWindowMs ?? 2 * MINUTE_MS),
      num_replicas: replicas,
    },
    {
      ...common,
      name: names.dlq,
      subjects: dlqStreamSubjects(namespace),
      max_age: nanos(options.dlqMaxAgeMs ?? 30 * DAY_MS),
      // a redelivered move to the DLQ reuses its Nats-Msg-Id; this window covers redelivery after a crash
      duplicate_window: nanos(10 * MINUTE_MS),
      num_replicas: replicas,
    },
  ];
}

function differs(current: StreamConfig, desired: ManagedConfig): boolean {
  return (Object.keys(desired) as (keyof ManagedConfig)[]).some(
    (key) => JSON.stringify(current[key]) !== JSON.stringify(desired[key]),
  );
}

async function ensureStream(jsm: JetStreamManager, wanted: ManagedConfig, keepReplicas: boolean): Promise<void> {
  let desired = wanted;
  let current: StreamConfig;
  try {
    current = (await jsm.streams.info(desired.name)).config;
  } catch (err) {
    if (!isStreamNotFound(err)) throw err;
    try {
      await jsm.streams.add(desired);
      return;
    } catch (addErr) {
      // another replica created it between our info and add: fall through to compare and update
      current = (await jsm.streams.info(desired.name).catch(() => Promise.reject(addErr))).config;
    }
  }
  const subjects = JSON.stringify(current.subjects);
  if (subjects !== JSON.stringify(desired.subjects)) {
    throw new ProvisioningError(
      `stream ${desired.name} already exists with subjects ${subjects}, not ${JSON.stringify(desired.subjects)}: ` +
        `two namespaces that differ only in "-" and "_" map to the same stream; pick another namespace`,
    );
  }
  if (current.storage !== desired.storage) {
    throw new ProvisioningError(
      `stream ${desired.name} uses ${current.storage} storage, not ${desired.storage}: storage cannot change in place; move or delete the stream`,
    );
  }
  if (keepReplicas) desired = { ...desired, num_replicas: current.num_replicas };
  if (differs(current, desired)) await jsm.streams.update(desired.name, desired);
}

/** Creates or updates the events and DLQ streams of a namespace; safe to call from every replica at start. */
export async function provisionStreams(
  jsm: JetStreamManager,
  namespace: string,
  options: StreamOptions = {},
): Promise<StreamNames> {
  const keepReplicas = options.replicas === undefined;
  for (const config of desiredStreamConfigs(namespace, options)) await ensureStream(jsm, config, keepReplicas);
  return streamNames(namespace);
}

/** Deletes both streams of a namespace (and with them every consumer); returns the names that existed. */
export async function removeStreams(jsm: JetStreamManager, namespace: string): Promise<string[]> {
  const deleted: string[] = [];
  for (const name of Object.values(streamNames(namespace))) {
    try {
      if (await jsm.streams.delete(name)) deleted.push(name);
    } catch (err) {
      if (!isStreamNotFound(err)) throw err;
    }
  }
  return deleted;
}
