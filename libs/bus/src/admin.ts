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
