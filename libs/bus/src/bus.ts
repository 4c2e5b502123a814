import { type CloudEvent, dlqSubject, parseName } from "@gyre/contracts";
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { type Authenticator, connect, type NatsConnection, type TlsOptions } from "@nats-io/transport-node";
import { explainConnectError } from "./connect-error.ts";
import { type BusObserver, type ConsumeOptions, resolveConsumeOptions } from "./consume-options.ts";
import { EventConsumer } from "./consumer.ts";
import { settlesWithin } from "./deadline.ts";
import { ensureDurable } from "./durable.ts";
import { type PublishResult, publishEvent } from "./publish.ts";
import { type BusStatusFields, type BusStatusListener, watchStatus } from "./status.ts";
import { provisionStreams, type StreamNames, type StreamOptions, streamNames } from "./streams.ts";

export interface BusOptions {
  servers: string | string[];
  /** First token of every subject; several installations and test runs share one NATS this way. */
  namespace: string;
  /** Connection name shown by the server, e.g. `ingestion-7f9c`. */
  name: string;
  user?: string;
  pass?: string;
  token?: string;
  /** nkey or .creds (JWT) authentication; see natsAuthOptions in @gyre/service. */
  authenticator?: Authenticator;
  tls?: TlsOptions;
  /**
   * Prefix of this connection's reply subjects (default `_INBOX`); a per-account prefix such as
   * `_INBOX_ingestion.<ns>` lets the server's permissions keep every other account out of its replies.
   */
  inboxPrefix?: string;
  /** How long one connect (TCP, TLS, login) may take; default 20 s. */
  connectTimeoutMs?: number;
  /** Wait between reconnect attempts to one server; default 1 s (plus jitter). Reconnects never stop. */
  reconnectTimeWaitMs?: number;
  /** Create or update the namespace's streams on connect; default true (`false` for read-only tools). */
  provision?: boolean | StreamOptions;
  /** Keep retrying the first connect instead of failing at once; default false. */
  waitOnFirstConnect?: boolean;
  /** Connection and consumer events for the log. A throwing listener is ignored. */
  onStatus?: BusStatusListener;
  /** Default metrics hooks for every consumer of this bus. */
  observer?: BusObserver;
  /** How long `close()` lets the connection drain before closing it anyway (NATS unreachable); default 10 s. */
  closeTimeoutMs?: number;
}

/** One NATS connection of a Gyre process: publishes events and runs the durable consumers of one namespace. */
export class Bus {
  readonly namespace: string;
  readonly name: string;
  readonly streams: StreamNames;
  readonly connection: NatsConnection;
  readonly jetstream: JetStreamClient;
  readonly manager: JetStreamManager;
  readonly #options: BusOptions;
  readonly #consumers = new Set<EventConsumer>();

  constructor(connection: NatsConnection, manager: JetStreamManager, options: BusOptions) {
    this.namespace = options.namespace;
    this.name = options.name;
    this.streams = streamNames(options.namespace);
    this.connection = connection;
    this.jetstream = jetstream(connection);
    this.manager = manager;
    this.#options = options;
  }

  /** The consumers this bus runs (for metrics: pending messages per durable). */
  get consumers(): readonly EventConsumer[] {
    return [...this.#consumers];
  }

  /** Publishes to `<ns>.<type>.<dataset>`, waiting for the PubAck; a repeated event id comes back `duplicate: true`. */
  publish(event: CloudEvent, dataset: string): Promise<PublishResult> {
    return publishEvent(this.jetstream, this.namespace, event, dataset);
  }

  /** Starts (creating or updating) the service's durable consumer; replicas with the same durable share the work. */
  async consume(options: ConsumeOptions): Promise<EventConsumer> {
    const resolved = resolveConsumeOptions(options, this.#options.observer);
    const durable = {
      namespace: this.namespace,
      stream: this.streams.events,
      durable: resolved.durable,
      events: resolved.events,
      maxDeliver: resolved.maxDeliver,
      ackWaitMs: resolved.ackWaitMs,
      serverVersion: this.connection.info?.version ?? "0.0.0",
    };
    const plan = await ensureDurable(this.manager, durable);
    const consumer = new EventConsumer(resolved, {
      nc: this.connection,
      js: this.jetstream,
      jsm: this.manager,
      durable,
      dlqSubject: dlqSubject(this.namespace, resolved.service),
      filtersOnClient: plan.filtersOnClient,
      report: (event) => this.report(event),
    });
    this.#consumers.add(consumer);
    consumer.start();
    return consumer;
  }

  provision(options: StreamOptions = {}): Promise<StreamNames> {
    return provisionStreams(this.manager, this.namespace, options);
  }

  report(event: BusStatusFields): void {
    try {
      this.#options.onStatus?.({ ...event, connection: this.name });
    } catch {
      // logging must never take the bus down
    }
  }

  /** Drains every consumer of this bus (handlers finish and settle), then drains and closes the connection. */
  async close(): Promise<void> {
    await Promise.all([...this.#consumers].map((consumer) => consumer.stop()));
    if (this.connection.isClosed()) return;
    const timeoutMs = this.#options.closeTimeoutMs ?? 10_000;
    if (!(await settlesWithin(this.connection.drain(), timeoutMs))) {
      this.report({ level: "warn", event: "nats.drain_timeout", timeoutMs });
      await this.connection.close();
    }
  }
}

/** Connects with endless reconnects, reports status through `onStatus`, and provisions the streams unless told not to. */
export async function connectBus(options: BusOptions): Promise<Bus> {
  parseName("namespace", options.namespace);
  const connection = await connect({
    servers: options.servers,
    name: options.name,
    // services must outlive a NATS restart or failover, however long it takes
    maxReconnectAttempts: -1,
    reconnectTimeWait: options.reconnectTimeWaitMs ?? 1000,
    waitOnFirstConnect: options.waitOnFirstConnect ?? false,
    ...(options.connectTimeoutMs === undefined ? {} : { timeout: options.connectTimeoutMs }),
    ...(options.user === undefined ? {} : { user: options.user }),
    ...(options.pass === undefined ? {} : { pass: options.pass }),
    ...(options.token === undefined ? {} : { token: options.token }),
    ...(options.authenticator === undefined ? {} : { authenticator: options.authenticator }),
    ...(options.tls === undefined ? {} : { tls: options.tls }),
    ...(options.inboxPrefix === undefined ? {} : { inboxPrefix: options.inboxPrefix }),
  }).catch((err: unknown) => {
    throw explainConnectError(err, options);
  });
  try {
    const manager = await jetstreamManager(connection);
    const bus = new Bus(connection, manager, options);
    watchStatus(connection, (fields) => bus.report(fields));
    bus.report({ level: "info", event: "nats.connect", server: connection.getServer() });
    const provision = options.provision ?? true;
    if (provision !== false) await bus.provision(provision === true ? {} : provision);
    return bus;
  } catch (err) {
    await connection.close();
    throw err;
  }
}
