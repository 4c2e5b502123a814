import type { Bus } from "@gyre/bus";
import { type FeaturesUpdated, parseEvent } from "@gyre/contracts";
import type { Logger } from "@gyre/log";
import { DeliverPolicy } from "@nats-io/jetstream";

/**
 * Keeps serving's online history current: every replica follows `features.updated` with its own ordered consumer
 * (as it follows promotions), from new messages on, and hands each event's rows to `apply`. nats.js recreates the
 * consumer after a reconnect from the last sequence it saw, so no event the stream still holds is missed.
 */
export async function listenForFeatures(
  bus: Bus,
  log: Logger,
  apply: (event: FeaturesUpdated) => void,
): Promise<{ stop(): Promise<void> }> {
  const consumer = await bus.jetstream.consumers.get(bus.streams.events, {
    filter_subjects: `${bus.namespace}.features.updated.*`,
    deliver_policy: DeliverPolicy.New,
  });
  const messages = await consumer.consume();
  const done = (async () => {
    for await (const message of messages) {
      let body: unknown = null;
      try {
        body = message.json();
      } catch {
        // not JSON: parseEvent names the problem below
      }
      const parsed = parseEvent(["features.updated"], body);
      if (!parsed.ok) {
        log.warn({ event: "features.invalid_event", subject: message.subject, reason: parsed.reason }, "invalid event");
        continue;
      }
      apply(parsed.event.data as FeaturesUpdated);
    }
  })();
  return {
    stop: async () => {
      await messages.close().catch(() => undefined);
      await done.catch(() => undefined);
    },
  };
}
