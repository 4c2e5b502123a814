import { dlqSubject, parseName } from "@gyre/contracts";
import type { Bus } from "./bus.ts";
import { type DeadLetter, type ReadDlqOptions, readDeadLetters } from "./dead-letter.ts";
import { type ConsumerStatus, durableStatus } from "./durable.ts";
import { removeStreams } from "./streams.ts";

/** Deletes the namespace's events and DLQ streams with every consumer on them (tests, `gyre` cleanup). */
export function deleteStreams(bus: Bus): Promise<string[]> {
  return removeStreams(bus.manager, bus.namespace);
}

/** Dead letters of one service, oldest first; they stay in the DLQ. */
export function readDlq(bus: Bus, service: string, options: ReadDlqOptions = {}): Promise<DeadLetter[]> {
  return readDeadLetters(bus.manager, bus.streams.dlq, dlqSubject(bus.namespace, service), options);
}

/** Backlog of a durable consumer (its name is the service's unless set otherwise), for `gyre status`. */
export function consumerStatus(bus: Bus, durable: string): Promise<ConsumerStatus> {
  return durableStatus(bus.manager, bus.streams.events, parseName("service", durable));
}

/** Backlog and dead letters of one consumer, as `gyre status` and the console show them. */
export interface ConsumerBacklog {
  consumer: string;
  pending: number;
  ackPending: number;
  redelivered: number;
  dlq: number;
}

/**
 * Backlog and dead-letter count of every durable consumer of the namespace (and of every service with dead letters),
 * by name; empty when the streams do not exist yet.
 */
export async function consumerBacklogs(bus: Bus): Promise<ConsumerBacklog[]> {
  const names: string[] = [];
  try {
    for await (const info of bus.manager.consumers.list(bus.streams.events)) names.push(info.name);
  } catch {
    return [];
  }
  const dlqCounts = new Map<string, number>();
  try {
    const info = await bus.manager.streams.info(bus.streams.dlq, { subjects_filter: `${bus.namespace}.dlq.*` });
    for (const [subject, count] of Object.entries(info.state.subjects ?? {})) {
      dlqCounts.set(subject.slice(`${bus.namespace}.dlq.`.length), count);
    }
  } catch {
    // no DLQ stream yet: nothing dead-lettered
  }
  const durable = names.filter((name) => !name.startsWith("OC_") && /^[a-z][a-z0-9_-]*$/.test(name)).sort();
  const rows: ConsumerBacklog[] = [];
  for (const consumer of [...new Set([...durable, ...dlqCounts.keys()])].sort()) {
    const backlog = durable.includes(consumer) ? await consumerStatus(bus, consumer).catch(() => undefined) : undefined;
    rows.push({
      consumer,
      pending: backlog?.pending ?? 0,
      ackPending: backlog?.ackPending ?? 0,
      redelivered: backlog?.redelivered ?? 0,
      dlq: dlqCounts.get(consumer) ?? 0,
    });
  }
  return rows;
}
