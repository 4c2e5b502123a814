import { type Bus, withConsumerSpan } from "@gyre/bus";
import { parseEvent, parseEventSubject } from "@gyre/contracts";
import type { Logger } from "@gyre/log";
import { DeliverPolicy } from "@nats-io/jetstream";

/**
 * Every serving replica must load a new champion, so `model.promoted` (and `model.rejected`, which moves the
 * challenger) cannot go through a durable consumer shared by the replicas, where each event reaches one of them.
 * Each replica runs its own ordered consumer instead: ephemeral (the server removes it when the replica goes),
 * starting at new messages, and recreated by nats.js after a reconnect from the last sequence it saw. Since the
 * handler only re-reads the registry and brings the dataset in line (idempotent), an event seen twice costs one
 * registry call; one missed while NATS was away is caught by the periodic reconcile.
 */
export async function listenForPromotions(
  bus: Bus,
  log: Logger,
  reconcile: (dataset: string, reason: string) => Promise<void>,
): Promise<{ stop(): Promise<void> }> {
  const consumer = await bus.jetstream.consumers.get(bus.streams.events, {
    filter_subjects: `${bus.namespace}.model.*.*`,
    deliver_policy: DeliverPolicy.New,
  });
  const messages = await consumer.consume();
  const done = (async () => {
    for await (const message of messages) {
      const subject = parseEventSubject(message.subject);
      if (subject?.type !== "model.promoted" && subject?.type !== "model.rejected") continue;
      await withConsumerSpan(
        { subject: message.subject, consumerGroup: `serving-${bus.name}`, headers: message.headers },
        async () => {
          let body: unknown = null;
          try {
            body = message.json();
          } catch {
            // not JSON: parseEvent names the problem below
          }
          const parsed = parseEvent(["model.promoted", "model.rejected"], body);
          if (!parsed.ok) {
            log.warn(
              { event: "promotion.invalid_event", subject: message.subject, reason: parsed.reason },
              "invalid event",
            );
            return;
          }
          const { dataset, version } = parsed.event.data;
          log.info(
            { event: "promotion.received", type: parsed.event.type, dataset, modelVersion: version },
            "registry decision",
          );
          await reconcile(dataset, parsed.event.type).catch((error: unknown) =>
            log.error({ event: "promotion.reconcile_failed", dataset, err: error }, "reconcile failed"),
          );
        },
      );
    }
  })();
  return {
    stop: async () => {
      await messages.close().catch(() => undefined);
      await done.catch(() => undefined);
    },
  };
}
