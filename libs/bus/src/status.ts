import type { NatsConnection, Status } from "@nats-io/transport-node";

export type BusStatusLevel = "debug" | "info" | "warn" | "error";

export interface BusStatusFields {
  level: BusStatusLevel;
  /** `nats.disconnect`, `nats.reconnect`, `consumer.pull_failed`, ... */
  event: string;
  server?: string;
  service?: string;
  error?: string;
  [field: string]: unknown;
}

/** A connection or consumer event shaped for a structured logger: `log[e.level](e, e.event)`. */
export interface BusStatusEvent extends BusStatusFields {
  /** The connection name given to `connectBus`. */
  connection: string;
}

export type BusStatusListener = (event: BusStatusEvent) => void;

/** Maps a nats.js status to a log event; pings are dropped as noise. */
export function describeStatus(status: Status): BusStatusFields | undefined {
  switch (status.type) {
    case "disconnect":
      return { level: "warn", event: "nats.disconnect", server: status.server };
    case "reconnect":
      return { level: "info", event: "nats.reconnect", server: status.server };
    case "reconnecting":
      return { level: "debug", event: "nats.reconnecting" };
    case "update":
      return { level: "info", event: "nats.cluster_update", added: status.added, deleted: status.deleted };
    case "ldm":
      return { level: "warn", event: "nats.lame_duck", server: status.server };
    case "error":
      return { level: "error", event: "nats.error", error: status.error.message };
    case "staleConnection":
      return { level: "warn", event: "nats.stale_connection" };
    case "slowConsumer":
      return { level: "warn", event: "nats.slow_consumer", subject: status.sub.getSubject(), pending: status.pending };
    case "forceReconnect":
      return { level: "info", event: "nats.force_reconnect" };
    case "close":
      return { level: "info", event: "nats.close" };
    case "ping":
      return undefined;
  }
}

/** Forwards connection status to the listener until the connection closes. A throwing listener never stops it. */
export function watchStatus(nc: NatsConnection, emit: (fields: BusStatusFields) => void): void {
  void (async () => {
    for await (const status of nc.status()) {
      const fields = describeStatus(status);
      if (fields) emit(fields);
    }
  })().catch(() => {
    // the iterator only ends with the connection; nothing is left to report to
  });
}
