import { type CloudEvent, eventSubject, parseEventSubject } from "@gyre/contracts";
import type { JetStreamClient } from "@nats-io/jetstream";
import { headers as natsHeaders } from "@nats-io/transport-node";
import { InvalidEventError } from "./errors.ts";
import { checkEventForSubject, MAX_EVENT_BYTES } from "./event-check.ts";
import { injectTraceContext, withProducerSpan } from "./tracing.ts";

export interface PublishResult {
  subject: string;
  stream: string;
  seq: number;
  /** True when JetStream already held a message with this event id (inside the duplicate window) and dropped this one. */
  duplicate: boolean;
}

const encoder = new TextEncoder();

/**
 * Publishes one event to `<ns>.<type>.<dataset>` and waits for the JetStream PubAck. The event id is the
 * Nats-Msg-Id, so publishing the same id twice stores one message. Refuses events a consumer would dead-letter.
 */
export async function publishEvent(
  js: JetStreamClient,
  namespace: string,
  event: CloudEvent,
  dataset: string,
): Promise<PublishResult> {
  const subject = eventSubject(namespace, event.type, dataset);
  const json = JSON.stringify(event);
  const body = encoder.encode(json);
  if (body.byteLength > MAX_EVENT_BYTES) {
    throw new InvalidEventError(
      subject,
      `event of ${body.byteLength} bytes is over the ${MAX_EVENT_BYTES}-byte event limit; send large data by reference`,
    );
  }
  const parsedSubject = parseEventSubject(subject);
  // check what the consumer will see: the event after a JSON round trip
  const checked = parsedSubject
    ? checkEventForSubject(parsedSubject, JSON.parse(json), [event.type])
    : { ok: false as const, reason: `event type ${JSON.stringify(event.type)} is unknown` };
  if (!checked.ok) throw new InvalidEventError(subject, checked.reason);

  return withProducerSpan({ subject, messageId: event.id, bodySize: body.byteLength }, async (_span, spanContext) => {
    const headers = injectTraceContext(natsHeaders(), spanContext);
    const ack = await js.publish(subject, body, { msgID: event.id, headers });
    return { subject, stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
  });
}
