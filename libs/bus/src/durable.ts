import { type EventType, eventFilter } from "@gyre/contracts";
import { AckPolicy, type ConsumerConfig, DeliverPolicy, type JetStreamManager } from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";
import { isConsumerNotFound } from "./api-errors.ts";
import { ProvisioningError } from "./errors.ts";
import { eventStreamSubjects } from "./streams.ts";

export interface DurableSpec {
  namespace: string;
  stream: string;
  durable: string;
  events: readonly EventType[];
  /** Deliveries the handler gets; the server allows one more so an attempt lost to a crash still reaches the DLQ. */
  maxDeliver: number;
  ackWaitMs: number;
  /** nats-server version; before 2.10 a consumer has a single filter subject. */
  serverVersion: string;
}

export interface DurablePlan {
  config: Partial<ConsumerConfig> & Pick<ConsumerConfig, "durable_name" | "ack_policy" | "deliver_policy">;
  /** True when the server filter is wider than the event types and the consumer must skip the others itself. */
  filtersOnClient: boolean;
}

export function supportsMultipleFilters(serverVersion: string): boolean {
  const [major = 0, minor = 0] = serverVersion.split(".").map((part) => Number.parseInt(part, 10));
  return major > 2 || (major === 2 && minor >= 10);
}

/** The consumer configuration for a service's durable: explicit ack, bounded deliveries, one filter per event type. */
export function planDurable(spec: DurableSpec): DurablePlan {
  const filters = [...new Set(spec.events.map((type) => eventFilter(spec.namespace, type)))];
  if (filters.length === 0) throw new ProvisioningError(`durable ${spec.durable}: events is empty; name at least one`);
  const base = {
    durable_name: spec.durable,
    description: `gyre ${spec.durable}: ${spec.events.join(", ")}`,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(spec.ackWaitMs),
    max_deliver: spec.maxDeliver + 1,
  };
  if (filters.length === 1) {
    return { config: { ...base, filter_subject: filters[0], filter_subjects: undefined }, filtersOnClient: false };
  }
  if (supportsMultipleFilters(spec.serverVersion)) {
    return { config: { ...base, filter_subject: undefined, filter_subjects: filters }, filtersOnClient: false };
  }
  const everything = eventStreamSubjects(spec.namespace)[0];
  return { config: { ...base, filter_subject: everything, filter_subjects: undefined }, filtersOnClient: true };
}

const COMPARED = ["ack_wait", "max_deliver", "filter_subject", "filter_subjects", "description"] as const;

function differs(current: ConsumerConfig, desired: DurablePlan["config"]): boolean {
  return COMPARED.some((key) => JSON.stringify(current[key] ?? null) !== JSON.stringify(desired[key] ?? null));
}

/** Creates the durable or brings its configuration up to date; replicas racing to create it end up sharing one. */
export async function ensureDurable(jsm: JetStreamManager, spec: DurableSpec): Promise<DurablePlan> {
  const plan = planDurable(spec);
  let current: ConsumerConfig;
  try {
    current = (await jsm.consumers.info(spec.stream, spec.durable)).config;
  } catch (err) {
    if (!isConsumerNotFound(err)) throw err;
    try {
      await jsm.consumers.add(spec.stream, plan.config);
      return plan;
    } catch (addErr) {
      current = (await jsm.consumers.info(spec.stream, spec.durable).catch(() => Promise.reject(addErr))).config;
    }
  }
  if (!differs(current, plan.config)) return plan;
  try {
    await jsm.consumers.update(spec.stream, spec.durable, plan.config);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new ProvisioningError(
      `durable ${spec.durable} on ${spec.stream} cannot be updated to ${JSON.stringify(plan.config)}: ${detail}; ` +
        `delete the consumer to recreate it (it then redelivers every retained event; handlers are idempotent)`,
      { cause: err },
    );
  }
  return plan;
}

export interface ConsumerStatus {
  stream: string;
  durable: string;
  /** Messages matching the filter not yet delivered. */
  pending: number;
  /** Delivered and waiting for an ack. */
  ackPending: number;
  redelivered: number;
  /** Pull requests waiting at the server (idle workers). */
  waiting: number;
  deliveredStreamSeq: number;
  ackFloorStreamSeq: number;
}

export async function durableStatus(jsm: JetStreamManager, stream: string, durable: string): Promise<ConsumerStatus> {
  const info = await jsm.consumers.info(stream, durable);
  return {
    stream,
    durable,
    pending: info.num_pending,
    ackPending: info.num_ack_pending,
    redelivered: info.num_redelivered,
    waiting: info.num_waiting,
    deliveredStreamSeq: info.delivered.stream_seq,
    ackFloorStreamSeq: info.ack_floor.stream_seq,
  };
}
