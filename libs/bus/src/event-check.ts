import {
  type CloudEvent,
  type EventType,
  isValidName,
  type ParsedSubject,
  parseEvent,
  parseEventSubject,
} from "@gyre/contracts";

export type CheckedEvent =
  | { ok: true; event: CloudEvent; subject: ParsedSubject }
  | { ok: false; reason: string; subject?: ParsedSubject };

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Largest event body a consumer decodes (and the bus publishes), in bytes: NATS's default max_payload. A bigger
 * body is dead-lettered unread, before UTF-8 decoding or JSON parsing costs memory and time.
 */
export const MAX_EVENT_BYTES = 1024 * 1024;

/** The dataset an event names in its data, when it names one. */
function datasetNamedBy(event: CloudEvent): unknown {
  const data = event.data;
  if (data === null || typeof data !== "object" || !("dataset" in data)) return undefined;
  return (data as { dataset: unknown }).dataset;
}

/** Checks a decoded JSON value against the subject it travelled on: a valid event of an expected type, for that dataset. */
export function checkEventForSubject(
  subject: ParsedSubject,
  value: unknown,
  expected: readonly EventType[],
): CheckedEvent {
  if (!isValidName(subject.dataset)) {
    return {
      ok: false,
      subject,
      reason: `dataset ${JSON.stringify(subject.dataset)} in the subject is not a valid name`,
    };
  }
  const parsed = parseEvent(expected, value);
  if (!parsed.ok) return { ok: false, subject, reason: parsed.reason };
  const event = parsed.event;
  if (event.type !== subject.type) {
    return { ok: false, subject, reason: `event type "${event.type}" travelled on a "${subject.type}" subject` };
  }
  const named = datasetNamedBy(event);
  if (named !== undefined && named !== subject.dataset) {
    return {
      ok: false,
      subject,
      reason: `event names dataset ${JSON.stringify(named)} but travelled on dataset "${subject.dataset}"`,
    };
  }
  return { ok: true, event, subject };
}

/** Decodes and checks a message body as the consumer receives it; every failure carries a reason for the DLQ. */
export function checkEventMessage(
  subject: string,
  body: Uint8Array,
  expected: readonly EventType[],
  maxBytes = MAX_EVENT_BYTES,
): CheckedEvent {
  const parsedSubject = parseEventSubject(subject);
  if (!parsedSubject) return { ok: false, reason: `subject "${subject}" is not <namespace>.<event type>.<dataset>` };
  if (body.byteLength > maxBytes) {
    return {
      ok: false,
      subject: parsedSubject,
      reason: `body of ${body.byteLength} bytes is over the ${maxBytes}-byte event limit; send large data by reference`,
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(body));
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return { ok: false, subject: parsedSubject, reason: `body is not JSON (${body.length} bytes): ${detail}` };
  }
  return checkEventForSubject(parsedSubject, value, expected);
}
