import { hostname } from "node:os";
import { type ArtifactStore, createArtifactStore } from "@gyre/artifacts";
import { type Bus, connectBus } from "@gyre/bus";
import { loadConfigOrExit, namespaceEnv, natsEnv, opsEnv, secretValues, telemetryEnv } from "@gyre/config";
import { parseName } from "@gyre/contracts";
import { createPool, migrate } from "@gyre/db";
import { createLogger, type Logger } from "@gyre/log";
import {
  busMetrics,
  busObserver,
  consumerPendingMessagesGauge,
  createMetricsRegistry,
  type ReadinessCheck,
  shutdownTelemetry,
  startOpsServer,
} from "@gyre/telemetry";
import type pg from "pg";
import type { Registry } from "prom-client";
import { z } from "zod";
import { natsConnectOptions } from "./nats-auth.ts";

const commonEnv = { ...natsEnv, ...namespaceEnv, ...telemetryEnv };
type CommonConfig = z.infer<z.ZodObject<typeof commonEnv>> & { METRICS_PORT: number };

export interface ServiceContext<C> {
  name: string;
  config: C & CommonConfig;
  namespace: string;
  log: Logger;
  bus: Bus;
  metrics: Registry;
  /** Adds a readiness check served on /readyz. */
  addCheck(name: string, check: ReadinessCheck): void;
  /** Runs on SIGTERM, in reverse order of registration, after the consumers have drained. */
  onShutdown(step: () => Promise<void> | void): void;
  /** The service's own PostgreSQL schema (`<namespace>_<service>`), migrated from `migrationsDir` first. */
  database(options: { connectionString: string; migrationsDir: string }): Promise<pg.Pool>;
  /** The artifact store, bucket ensured. */
  artifacts(options: {
    endpoint: string;
    accessKey: string;
    secretKey: string;
    region: string;
    bucket: string;
  }): Promise<ArtifactStore>;
}

export interface ServiceDefinition<S extends z.ZodRawShape> {
  name: string;
  /** The service's own variables; NATS, namespace, telemetry and METRICS_PORT are added. */
  env: S;
  defaultMetricsPort: number;
  start(ctx: ServiceContext<z.infer<z.ZodObject<S>>>): Promise<void>;
}

/** `<namespace>_<service>` with "-" as "_": PostgreSQL identifiers and per-namespace isolation in one. */
export function serviceSchema(namespace: string, service: string): string {
  return `${namespace}_${service}`.replaceAll("-", "_");
}

/**
 * The wiring every Gyre service shares: config parsed once, JSON logs, metrics and health, the bus, and a graceful
 * SIGTERM (stop pulling, finish in-flight work, ack, close). Telemetry itself starts earlier, through
 * `--import @gyre/telemetry/register`, so that everything it instruments is patched before it is imported.
 */
export async function runService<S extends z.ZodRawShape>(definition: ServiceDefinition<S>): Promise<void> {
  const name = parseName("service", definition.name);
  const schema = z.object({ ...commonEnv, ...opsEnv(definition.defaultMetricsPort), ...definition.env });
  const config = loadConfigOrExit(schema) as unknown as z.infer<z.ZodObject<S>> & CommonConfig;
  const log = createLogger({
    service: name,
    level: config.LOG_LEVEL,
    version: config.SERVICE_VERSION,
    // Every credential of the config is scrubbed from each line, wherever an error message or a field carries it.
    secrets: secretValues(config),
  });
  const metrics = createMetricsRegistry({ service: name });
  const checks: Record<string, ReadinessCheck> = {};
  const shutdownSteps: (() => Promise<void> | void)[] = [];

  process.on("unhandledRejection", (err) => log.error({ err }, "unhandled rejection"));
  process.on("uncaughtException", (err) => {
    log.fatal({ err }, "uncaught exception");
    process.exit(1);
  });

  const bus = await connectBus({
    servers: config.NATS_URL.split(",").map((server) => server.trim()),
    namespace: config.GYRE_NAMESPACE,
    name: `${name}-${hostname()}-${process.pid}`,
    waitOnFirstConnect: true,
    ...natsConnectOptions(config, config.GYRE_NAMESPACE, name),
    provision: config.NATS_STREAM_REPLICAS === undefined ? {} : { replicas: config.NATS_STREAM_REPLICAS },
    observer: busObserver(busMetrics(metrics)),
    onStatus: ({ level, event, ...fields }) => log[level === "debug" ? "debug" : level]({ event, ...fields }, event),
  });
  // Not ready until the service's own start (consumers, gRPC servers, models) has finished.
  let started = false;
  checks.started = () => {
    if (!started) throw new Error(`${name} is still starting`);
  };
  checks.nats = () => {
    if (bus.connection.isClosed()) throw new Error("NATS connection is closed");
  };

  const ctx: ServiceContext<z.infer<z.ZodObject<S>>> = {
    name,
    config,
    namespace: config.GYRE_NAMESPACE,
    log,
    bus,
    metrics,
    addCheck: (checkName, check) => {
      checks[checkName] = check;
    },
    onShutdown: (step) => {
      shutdownSteps.push(step);
    },
    database: async ({ connectionString, migrationsDir }) => {
      const dbSchema = serviceSchema(config.GYRE_NAMESPACE, name);
      const applied = await migrate({ connectionString, schema: dbSchema, dir: migrationsDir });
      log.info({ event: "db.migrated", schema: dbSchema, applied }, "migrations applied");
      const pool = createPool({
        connectionString,
        schema: dbSchema,
        applicationName: name,
        onError: (err) => log.warn({ err, event: "db.pool_error" }, "database connection error"),
      });
      checks.postgres = async () => {
        await pool.query("select 1");
      };
      shutdownSteps.push(() => pool.end());
      return pool;
    },
    artifacts: async (options) => {
      const store = createArtifactStore(options);
      await store.ensureBucket().catch((err: Error) => {
        throw new Error(`S3 at ${options.endpoint}, bucket ${options.bucket}: ${err.message}`, { cause: err });
      });
      checks.s3 = async () => {
        await store.exists("health/probe");
      };
      return store;
    },
  };

  // Consumer lag, read from JetStream when Prometheus scrapes (prom-client calls a gauge's `collect` on scrape; the
  // shared factory makes the gauge without one, and its type does not list the property).
  const pending = consumerPendingMessagesGauge(metrics);
  (pending as unknown as { collect: () => Promise<void> }).collect = async () => {
    for (const consumer of bus.consumers) {
      const status = await consumer.status().catch(() => undefined);
      if (status) pending.set({ consumer: status.durable }, status.pending);
    }
  };

  const ops = await startOpsServer({ port: config.METRICS_PORT, registry: metrics, checks });
  log.info({ event: "service.ops_listening", port: ops.port }, "metrics and health listening");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ event: "service.draining", signal }, "draining");
    ops.setDraining();
    try {
      await bus.close();
      for (const step of shutdownSteps.reverse()) await step();
    } catch (err) {
      log.error({ err, event: "service.drain_failed" }, "drain failed");
    }
    await ops.close();
    await shutdownTelemetry().catch(() => undefined);
    log.info({ event: "service.stopped" }, "stopped");
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));

  try {
    await definition.start(ctx);
  } catch (err) {
    // A dependency that is down or misconfigured at start (S3 refusing, a bad bucket, a failed migration): say what
    // failed and exit non-zero so a supervisor restarts the service, rather than surfacing as an uncaught exception.
    log.fatal({ err, event: "service.start_failed" }, `${name} could not start: ${(err as Error).message}`);
    await bus.close().catch(() => undefined);
    await shutdownTelemetry().catch(() => undefined);
    process.exit(1);
  }
  started = true;
  log.info({ event: "service.started", namespace: config.GYRE_NAMESPACE }, "started");
}
