import assert from "node:assert/strict";
import { test } from "node:test";
import { connectBus, deleteStreams } from "@gyre/bus";
import { infraFromEnv, serviceEnv, startService, uniqueId } from "@gyre/testkit";
import pg from "pg";

test("a service whose S3 refuses at start exits 1 with service.start_failed naming the endpoint and bucket", async (t) => {
  const infra = infraFromEnv();
  const namespace = uniqueId("sf");
  t.after(async () => {
    const bus = await connectBus({
      servers: infra.natsUrl,
      namespace,
      name: "start-failure-cleanup",
      provision: false,
    });
    await deleteStreams(bus).catch(() => undefined);
    await bus.close();
    const client = new pg.Client({ connectionString: infra.databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${namespace}_ingestion" CASCADE`);
    await client.end();
  });
  const env = {
    ...serviceEnv(infra, namespace, "gyre-unused"),
    S3_ENDPOINT: "http://127.0.0.1:9",
    OTEL_SDK_DISABLED: "true",
  };
  const error = await startService("ingestion", env).then(
    () => assert.fail("ingestion started although S3 refuses connections"),
    (err: Error) => err,
  );
  assert.match(error.message, /ingestion exited/);
  assert.match(error.message, /"event":"service\.start_failed"/);
  assert.match(error.message, /S3 at http:\/\/127\.0\.0\.1:9, bucket gyre-unused: connect ECONNREFUSED/);
  assert.doesNotMatch(error.message, /uncaught exception/);
});
