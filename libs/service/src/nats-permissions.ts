import { streamNames } from "@gyre/bus";
import { type EventType, eventFilter, eventSubject, isValidName, parseName } from "@gyre/contracts";
import { SERVICES, type ServiceName } from "./launch.ts";

/** The NATS accounts (users) of one namespace: the seven services and `gyre`, the operator CLI. */
export const NATS_ACCOUNTS = [...SERVICES, "gyre"] as const;
export type NatsAccount = (typeof NATS_ACCOUNTS)[number];

export function isNatsAccount(value: string): value is NatsAccount {
  return (NATS_ACCOUNTS as readonly string[]).includes(value);
}

/** What one account may do: nats-server `permissions` (allow lists; everything else is denied). */
export interface NatsPermissions {
  publish: string[];
  subscribe: string[];
}

interface AccountNeeds {
  /** Event types it publishes. */
  emits: readonly EventType[];
  /** Its durable consumers on the events stream (the durable names of `bus.consume`). */
  durables: readonly string[];
  /** Filters (`<event>.<dataset>` tokens after the namespace) of its ephemeral ordered consumers on the events. */
  follows: readonly string[];
  /** Key-value buckets it reads and watches, and those it writes, by the last token of `gyre_<ns>_<bucket>`. */
  readsBuckets: readonly string[];
  writesBuckets: readonly string[];
}

/**
 * What each service does on the bus, read from its code: `publish(` for `emits`, `bus.consume` for `durables`,
 * `jetstream.consumers.get` for `follows`, SpecStore and Kvm for the buckets. A permission test starts each service
 * against a server with exactly these permissions, so a missing entry fails there.
 */
const NEEDS: Record<ServiceName, AccountNeeds> = {
  ingestion: {
    emits: ["data.ingested"],
    durables: ["ingestion"],
    follows: [],
    readsBuckets: ["specs"],
    writesBuckets: [],
  },
  validation: {
    emits: ["data.validated", "data.rejected"],
    durables: ["validation"],
    follows: [],
    readsBuckets: ["specs"],
    writesBuckets: [],
  },
  "feature-store": {
    emits: ["features.updated"],
    durables: ["feature-store"],
    follows: [],
    readsBuckets: ["specs"],
    writesBuckets: [],
  },
  trainer: {
    emits: ["model.trained", "training.progress"],
    durables: ["trainer"],
    follows: [],
    readsBuckets: ["specs"],
    writesBuckets: [],
  },
  registry: {
    emits: ["model.promoted", "model.rejected"],
    durables: ["registry"],
    follows: [],
    readsBuckets: ["specs"],
    writesBuckets: [],
  },
  serving: {
    emits: ["predictions.logged"],
    durables: [],
    follows: ["model.*.*", "features.updated.*"],
    readsBuckets: ["specs", "serving"],
    writesBuckets: ["serving"],
  },
  monitoring: {
    emits: ["performance.measured", "drift.detected"],
    durables: ["monitoring", "monitoring-champions", "monitoring-labels"],
    follows: [],
    readsBuckets: ["specs"],
    writesBuckets: [],
  },
};

/** `_INBOX_<account>.<namespace>`: replies to this account's requests arrive under it, and only it may subscribe there. */
export function natsInboxPrefix(namespace: string, account: string): string {
  return `_INBOX_${parseName("service", account)}.${parseName("namespace", namespace)}`;
}

function kvStream(namespace: string, bucket: string): string {
  return `KV_gyre_${namespace}_${bucket}`;
}

function kvSubjects(namespace: string, bucket: string): string {
  return `$KV.gyre_${namespace}_${bucket}.>`;
}

/** Reading a bucket: create-if-missing on open (Kvm.create), direct gets, and watches (ordered push consumers). */
function bucketReader(namespace: string, bucket: string): string[] {
  const stream = kvStream(namespace, bucket);
  return [
    `$JS.API.STREAM.INFO.${stream}`,
    `$JS.API.STREAM.CREATE.${stream}`,
    `$JS.API.STREAM.MSG.GET.${stream}`,
    `$JS.API.DIRECT.GET.${stream}`,
    `$JS.API.DIRECT.GET.${stream}.>`,
    `$JS.API.CONSUMER.CREATE.${stream}`,
    `$JS.API.CONSUMER.CREATE.${stream}.>`,
    `$JS.API.CONSUMER.DELETE.${stream}.*`,
    `$JS.FC.${stream}.>`,
  ];
}

/**
 * The streams are created by whoever connects first: every service (and `gyre up`) provisions the namespace's
 * events and DLQ streams on connect, which keeps start order free. So each account may create, update and inspect
 * the streams of its own namespace, never delete or purge them and never touch another namespace's.
 */
function namespaceStreams(namespace: string): string[] {
  const { events, dlq } = streamNames(namespace);
  return [events, dlq].flatMap((stream) => [
    `$JS.API.STREAM.INFO.${stream}`,
    `$JS.API.STREAM.CREATE.${stream}`,
    `$JS.API.STREAM.UPDATE.${stream}`,
  ]);
}

function durableConsumer(namespace: string, durable: string): string[] {
  const { events } = streamNames(namespace);
  return [
    `$JS.API.CONSUMER.INFO.${events}.${durable}`,
    `$JS.API.CONSUMER.CREATE.${events}.${durable}`,
    `$JS.API.CONSUMER.CREATE.${events}.${durable}.>`,
    `$JS.API.CONSUMER.DURABLE.CREATE.${events}.${durable}`,
    `$JS.API.CONSUMER.MSG.NEXT.${events}.${durable}`,
    `$JS.ACK.${events}.${durable}.>`,
  ];
}

/** Ordered consumers have generated names, so the filter (the last tokens of the create subject) is what is limited. */
function orderedConsumer(namespace: string, filters: readonly string[]): string[] {
  const { events } = streamNames(namespace);
  return [
    ...filters.map((filter) => `$JS.API.CONSUMER.CREATE.${events}.*.${namespace}.${filter}`),
    `$JS.API.CONSUMER.INFO.${events}.*`,
    `$JS.API.CONSUMER.DELETE.${events}.*`,
    `$JS.API.CONSUMER.MSG.NEXT.${events}.*`,
  ];
}

function servicePermissions(namespace: string, service: ServiceName): NatsPermissions {
  const needs = NEEDS[service];
  const publish = [
    ...needs.emits.map((type) => eventFilter(namespace, type)),
    `${namespace}.dlq.${service}`,
    "$JS.API.INFO",
    ...namespaceStreams(namespace),
    ...needs.durables.flatMap((durable) => durableConsumer(namespace, durable)),
    ...(needs.follows.length > 0 ? orderedConsumer(namespace, needs.follows) : []),
    ...needs.readsBuckets.flatMap((bucket) => bucketReader(namespace, bucket)),
    ...needs.writesBuckets.map((bucket) => kvSubjects(namespace, bucket)),
  ];
  return { publish: [...new Set(publish)], subscribe: [`${natsInboxPrefix(namespace, service)}.>`] };
}

/**
 * The operator CLI administers its namespace: it publishes `data.arrived` and replays, writes specs, reads every
 * stream and consumer of the namespace, and removes them on teardown. Nothing outside the namespace.
 */
function operatorPermissions(namespace: string): NatsPermissions {
  const { events, dlq } = streamNames(namespace);
  const streams = [events, dlq, kvStream(namespace, "specs"), kvStream(namespace, "serving")];
  return {
    publish: [
      `${namespace}.>`,
      "$JS.API.INFO",
      ...streams.flatMap((stream) => [
        `$JS.API.STREAM.*.${stream}`,
        `$JS.API.STREAM.MSG.*.${stream}`,
        `$JS.API.DIRECT.GET.${stream}`,
        `$JS.API.DIRECT.GET.${stream}.>`,
        `$JS.API.CONSUMER.*.${stream}`,
        `$JS.API.CONSUMER.*.${stream}.>`,
        `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.*`,
        `$JS.API.CONSUMER.MSG.NEXT.${stream}.*`,
        `$JS.ACK.${stream}.>`,
        `$JS.FC.${stream}.>`,
      ]),
      kvSubjects(namespace, "specs"),
      kvSubjects(namespace, "serving"),
    ],
    subscribe: [`${natsInboxPrefix(namespace, "gyre")}.>`],
  };
}

/** The least-privilege permissions of one account in one namespace. */
export function natsPermissions(namespace: string, account: NatsAccount): NatsPermissions {
  parseName("namespace", namespace);
  if (account === "gyre") return operatorPermissions(namespace);
  return servicePermissions(namespace, account);
}

/**
 * A producer of data: it may hand batches and labels of `datasets` to Gyre and nothing else. Its NATS user is
 * `producer-<name>` (see `natsProducerUser`); the deployments list the producers in deploy/producers.yaml.
 */
export interface NatsProducer {
  name: string;
  datasets: readonly string[];
}

/** `producer-<name>`: the NATS user of a producer, apart from the service and operator accounts. */
export function natsProducerUser(name: string): string {
  return parseName("service", `producer-${parseName("service", name)}`);
}

/**
 * A producer publishes `<ns>.data.arrived.<dataset>` and `<ns>.labels.arrived.<dataset>` (true labels for served
 * predictions) for its own datasets only (JetStream answers the PubAck
 * on its inbox `_INBOX_producer-<name>.<ns>`) and may ask `$JS.API.INFO` (what JetStream clients do on connect).
 * It cannot publish any other event, read a stream, create a consumer or write a bucket.
 */
export function natsProducerPermissions(namespace: string, producer: NatsProducer): NatsPermissions {
  parseName("namespace", namespace);
  const user = natsProducerUser(producer.name);
  if (producer.datasets.length === 0) {
    throw new Error(`producer ${JSON.stringify(producer.name)}: no datasets; name the datasets it may send`);
  }
  return {
    publish: [
      ...new Set(
        producer.datasets.flatMap((dataset) => [
          eventSubject(namespace, "data.arrived", dataset),
          eventSubject(namespace, "labels.arrived", dataset),
        ]),
      ),
      "$JS.API.INFO",
    ],
    subscribe: [`${natsInboxPrefix(namespace, user)}.>`],
  };
}

/**
 * Reads the producers of deploy/producers.yaml (`producers: { <name>: { datasets: [..] } }`), refusing a bad
 * name, a bad dataset name or a producer without datasets with a message that names the value.
 */
export function parseNatsProducers(value: unknown): NatsProducer[] {
  const producers = (value as { producers?: unknown } | null)?.producers ?? {};
  if (typeof producers !== "object" || producers === null || Array.isArray(producers)) {
    throw new Error(
      `producers: expected a map of producer name to { datasets: [...] }, got ${JSON.stringify(producers)}`,
    );
  }
  return Object.entries(producers).map(([name, entry]) => {
    if (!isValidName(name)) throw new Error(`producers.${name}: not a valid producer name (a-z, 0-9, "_", "-")`);
    natsProducerUser(name);
    const datasets = (entry as { datasets?: unknown } | null)?.datasets;
    if (!Array.isArray(datasets) || datasets.length === 0) {
      throw new Error(
        `producers.${name}.datasets: expected a non-empty list of dataset names, got ${JSON.stringify(datasets)}`,
      );
    }
    for (const dataset of datasets) {
      if (!isValidName(dataset))
        throw new Error(`producers.${name}.datasets: ${JSON.stringify(dataset)} is not a dataset name`);
    }
    return { name, datasets: datasets as string[] };
  });
}
