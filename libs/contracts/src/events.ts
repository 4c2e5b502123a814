import type { z } from "zod";
import { type CloudEvent, cloudEventSchema, type NewEventOptions, newCloudEvent } from "./envelope.ts";
import { dataArrivedSchema, dataIngestedSchema, featuresUpdatedSchema } from "./events/data.ts";
import { describeIssues } from "./events/issues.ts";
import {
  modelPromotedSchema,
  modelRejectedSchema,
  modelTrainedSchema,
  trainingProgressSchema,
} from "./events/model.ts";
import {
  driftDetectedSchema,
  labelsArrivedSchema,
  performanceMeasuredSchema,
  predictionsLoggedSchema,
} from "./events/monitoring.ts";
import { dataRejectedSchema, dataValidatedSchema } from "./events/validation.ts";
import { EVENT_TYPES, type EventType, isEventType } from "./subjects.ts";

/** The zod schema of each event type's `data`. */
export const eventDataSchemas = {
  "data.arrived": dataArrivedSchema,
  "data.ingested": dataIngestedSchema,
  "data.validated": dataValidatedSchema,
  "data.rejected": dataRejectedSchema,
  "features.updated": featuresUpdatedSchema,
  "model.trained": modelTrainedSchema,
  "model.promoted": modelPromotedSchema,
  "model.rejected": modelRejectedSchema,
  "training.progress": trainingProgressSchema,
  "predictions.logged": predictionsLoggedSchema,
  "labels.arrived": labelsArrivedSchema,
  "performance.measured": performanceMeasuredSchema,
  "drift.detected": driftDetectedSchema,
} as const satisfies Record<EventType, z.ZodType>;

/** The `data` of an event type, e.g. `EventData<"data.arrived">` is `DataArrived`. */
export type EventData<T extends EventType> = z.infer<(typeof eventDataSchemas)[T]>;

/** A CloudEvent of one of the types in T, with `type` and `data` tied together (a union over T). */
export type GyreEvent<T extends EventType = EventType> = {
  [K in T]: CloudEvent<EventData<K>> & { type: K };
}[T];

export const eventSchemas = Object.fromEntries(
  EVENT_TYPES.map((type) => [type, cloudEventSchema(type, eventDataSchemas[type])]),
) as unknown as Record<EventType, z.ZodType<CloudEvent>>;

export type ParseEventResult<T extends EventType = EventType> =
  | { ok: true; event: GyreEvent<T> }
  | { ok: false; reason: string };

/** Validates a decoded JSON value as a CloudEvent of the expected type; the reason lists every problem. */
export function parseEvent<T extends EventType>(expected: T | readonly T[], value: unknown): ParseEventResult<T> {
  const allowed: readonly string[] = typeof expected === "string" ? [expected] : expected;
  const type = (value as { type?: unknown } | null)?.type;
  if (typeof type !== "string" || !isEventType(type) || !allowed.includes(type)) {
    return { ok: false, reason: `event type ${JSON.stringify(type)}: expected one of ${allowed.join(", ")}` };
  }
  const result = eventSchemas[type].safeParse(value, { reportInput: true });
  if (result.success) return { ok: true, event: result.data as GyreEvent<T> };
  return { ok: false, reason: `${type} event is invalid: ${describeIssues(result.error.issues)}` };
}

/** A new CloudEvent whose data the compiler has checked against the type (not validated at run time). */
export function newEvent<T extends EventType>(
  type: T,
  source: string,
  data: EventData<T>,
  options: NewEventOptions = {},
): GyreEvent<T> {
  return newCloudEvent(type, source, data, options) as GyreEvent<T>;
}
