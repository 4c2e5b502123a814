import type { Bus } from "@gyre/bus";
import type { GyreEvent } from "@gyre/contracts";
import type { Logger } from "@gyre/log";
import type pg from "pg";

export type MonitoringEvent = GyreEvent<"performance.measured" | "drift.detected">;

/** Stores an event in the transaction that decided it; a second insert of the same id changes nothing. */
export async function addToOutbox(client: pg.PoolClient, event: MonitoringEvent): Promise<void> {
  await client.query(
    "INSERT INTO outbox (event_id, dataset, event) VALUES ($1, $2, $3) ON CONFLICT (event_id) DO NOTHING",
    [event.id, event.data.dataset, JSON.stringify(event)],
  );
}

/**
 * Publishes the stored events not yet published, oldest first (of one dataset, or all), and marks them. After a
 * crash between commit and publish, the redelivered event or the next start sends them; JetStream drops an id it
 * has already seen within its duplicate window.
 */
export async function publishOutbox(
  bus: Bus,
  pool: pg.Pool,
  log: Logger,
  dataset?: string,
): Promise<MonitoringEvent[]> {
  const { rows } = await pool.query<{ event: MonitoringEvent }>(
    `SELECT event FROM outbox WHERE published_at IS NULL ${dataset === undefined ? "" : "AND dataset = $1"} ORDER BY seq`,
    dataset === undefined ? [] : [dataset],
  );
  const published: MonitoringEvent[] = [];
  for (const { event } of rows) {
    const result = await bus.publish(event, event.data.dataset);
    await pool.query("UPDATE outbox SET published_at = now() WHERE event_id = $1 AND published_at IS NULL", [event.id]);
    log.info(
      {
        event: "event.published",
        type: event.type,
        eventId: event.id,
        dataset: event.data.dataset,
        duplicate: result.duplicate,
      },
      "event published",
    );
    published.push(event);
  }
  return published;
}
