import { parseName } from "./names.ts";

/** Event types carried on the bus; the subject of one is `<ns>.<type>.<dataset>`. */
export const EVENT_TYPES = [
  "data.arrived",
  "data.ingested",
  "data.validated",
  "data.rejected",
  "features.updated",
  "model.trained",
  "model.promoted",
  "model.rejected",
  "training.progress",
  "predictions.logged",
  "labels.arrived",
  "performance.measured",
  "drift.detected",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

/** `<ns>.<event>.<dataset>`, e.g. `gyre.data.arrived.weather`. */
export function eventSubject(namespace: string, type: EventType, dataset: string): string {
  return `${parseName("namespace", namespace)}.${type}.${parseName("dataset", dataset)}`;
}

/** Subject filter for one event type over every dataset: `<ns>.<event>.*`. */
export function eventFilter(namespace: string, type: EventType): string {
  return `${parseName("namespace", namespace)}.${type}.*`;
}

/** `<ns>.dlq.<service>`: where a service's undeliverable messages go, with the reason. */
export function dlqSubject(namespace: string, service: string): string {
  return `${parseName("namespace", namespace)}.dlq.${parseName("service", service)}`;
}

export interface ParsedSubject {
  namespace: string;
  type: EventType;
  dataset: string;
}

/** Splits an event subject; returns undefined for anything that is not `<ns>.<a>.<b>.<dataset>` with a known type. */
export function parseEventSubject(subject: string): ParsedSubject | undefined {
  const parts = subject.split(".");
  if (parts.length !== 4) return undefined;
  const [namespace, a, b, dataset] = parts as [string, string, string, string];
  const type = `${a}.${b}`;
  if (!isEventType(type)) return undefined;
  return { namespace, type, dataset };
}
