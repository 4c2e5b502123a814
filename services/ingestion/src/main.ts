import { fileURLToPath } from "node:url";
import { databaseEnv, integer, s3Env } from "@gyre/config";
import { runService } from "@gyre/service";
import { SpecStore } from "@gyre/spec";
import { bucketStores } from "./bucketStores.ts";
import { ingestionHandler } from "./ingest.ts";
import { ingestionMetrics } from "./metrics.ts";

const MIB = 1024 * 1024;

await runService({
  name: "ingestion",
  env: {
    ...databaseEnv,
    ...s3Env,
    /** Largest raw batch accepted, inline or by reference. */
    INGEST_MAX_BATCH_BYTES: integer({ min: 1 }).default(256 * MIB),
    INGEST_MAX_ROWS: integer({ min: 1 }).default(10_000_000),
    /** Batches handled at once per process; they overlap their S3, PostgreSQL and NATS waits. */
    INGESTION_CONCURRENCY: integer({ min: 1, max: 64 }).default(4),
  },
  defaultMetricsPort: 9461,
  async start(ctx) {
    const { config } = ctx;
    const pool = await ctx.database({
      connectionString: config.DATABASE_URL,
      migrationsDir: fileURLToPath(new URL("../migrations", import.meta.url)),
    });
    const connection = {
      endpoint: config.S3_ENDPOINT,
      accessKey: config.S3_ACCESS_KEY,
      secretKey: config.S3_SECRET_KEY,
      region: config.S3_REGION,
    };
    const rawStore = await ctx.artifacts({ ...connection, bucket: config.S3_BUCKET });
    const specs = await SpecStore.open(ctx.bus.connection, ctx.namespace);
    await ctx.bus.consume({
      service: ctx.name,
      events: ["data.arrived"],
      handler: ingestionHandler({
        pool,
        specs,
        rawStore,
        storeFor: bucketStores(rawStore, connection),
        bus: ctx.bus,
        log: ctx.log,
        metrics: ingestionMetrics(ctx.metrics),
        limits: { maxBatchBytes: config.INGEST_MAX_BATCH_BYTES, maxRows: config.INGEST_MAX_ROWS },
      }),
      concurrency: config.INGESTION_CONCURRENCY,
    });
  },
});
