import { z } from "zod";
import { type CloudEvent, cloudEventSchema } from "./envelope.ts";
import { EVENT_TYPES, type EventType, isEventType } from "./subjects.ts";

// Placeholder data schemas: each event's real zod schema replaces z.unknown() here.
const dataSchemas: Record<EventType, z.ZodType> = Object.fromEntries(
  EVENT_TYPES.map((type) => [type, z.unknown()]),
) as unknown as Record<EventType, z.ZodType>;

export const eventSchemas = Object.fromEntries(
  EVENT_TYPES.map((type) => [type, cloudEventSchema(type, dataSchemas[type])]),
) as unknown as Record<EventType, z.ZodType<CloudEvent>>;

export type ParseEventResult = { ok: true; event: CloudEvent } | { ok: false; reason: string };

/** Validates a decoded JSON value as a CloudEvent of the expected type; the reason lists every problem. */
export function parseEvent(expected: EventType | readonly EventType[], value: unknown): ParseEventResult {
  const allowed = typeof expected === "string" ? [expected] : expected;
  const type = (value as { type?: unknown } | null)?.type;
  if (typeof type !== "string" || !isEventType(type) || !allowed.includes(type)) {
    return { ok: false, reason: `event type ${JSON.stringify(type)}: expected one of ${allowed.join(", ")}` };
  }
  const result = eventSchemas[type].safeParse(value);
  if (result.success) return { ok: true, event: result.data };
  return { ok: false, reason: `${type} event is invalid: ${z.prettifyError(result.error).replaceAll("\n", "; ")}` };
}
