import { fileURLToPath } from "node:url";
import { artifactStoreOptions } from "@gyre/artifacts";
import { databaseEnv, integer, s3Env } from "@gyre/config";
import { runService } from "@gyre/service";
import { SpecStore } from "@gyre/spec";
import { validationMetrics } from "./metrics.ts";
import { dataIngestedHandler } from "./validateBatch.ts";

await runService({
  name: "validation",
  env: {
    ...databaseEnv,
    ...s3Env,
    /** Batches checked at once per process; they overlap their S3, PostgreSQL and NATS waits. */
    VALIDATION_CONCURRENCY: integer({ min: 1, max: 64 }).default(4),
    /** Largest batch read once decompressed; at least ingestion's INGEST_MAX_BATCH_BYTES. */
    VALIDATION_MAX_BATCH_BYTES: integer({ min: 1 }).default(256 * 1024 * 1024),
  },
  defaultMetricsPort: 9462,
  async start(ctx) {
    const { config } = ctx;
    const pool = await ctx.database({
      connectionString: config.DATABASE_URL,
      migrationsDir: fileURLToPath(new URL("../migrations", import.meta.url)),
    });
    const artifacts = await ctx.artifacts(artifactStoreOptions(config));
    const specs = await SpecStore.open(ctx.bus.connection, ctx.namespace);
    const metrics = validationMetrics(ctx.metrics);
    await ctx.bus.consume({
      service: ctx.name,
      events: ["data.ingested"],
      handler: dataIngestedHandler({
        bus: ctx.bus,
        specs,
        artifacts,
        pool,
        log: ctx.log,
        metrics,
        maxBatchBytes: config.VALIDATION_MAX_BATCH_BYTES,
      }),
      concurrency: config.VALIDATION_CONCURRENCY,
    });
  },
});
