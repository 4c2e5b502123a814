import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createArtifactStore } from "@gyre/artifacts";
import { connectBus, deleteStreams } from "@gyre/bus";
import { dropSchema } from "@gyre/db";
import { grpcAddressEnv, infraFromEnv, type RunningService, serviceEnv, startService, uniqueId } from "@gyre/testkit";
import { buildTarget, TARGETS } from "../../../scripts/build.ts";
import { SERVICES, serviceCommand, serviceSchema } from "../src/index.ts";

// What the image runs (Dockerfile's gyre-service = serviceCommand(service, { compiled: true })), against the real
// infrastructure: each service starts from services/<name>/dist, migrates, becomes ready and drains on SIGTERM.
describe("each service compiled by scripts/build.ts", () => {
  const infra = infraFromEnv();
  const namespace = uniqueId("compiled");
  const bucket = `gyre-${namespace}`;
  const store = createArtifactStore({ ...infra.s3, bucket });

  before(async () => {
    await Promise.all(TARGETS.filter((target) => target.outdir.startsWith("services/")).map(buildTarget));
    await store.ensureBucket();
  });
  after(async () => {
    const bus = await connectBus({ servers: infra.natsUrl, namespace, name: `${namespace}-cleanup`, provision: false });
    await deleteStreams(bus).catch(() => undefined);
    await bus.close();
    for (const service of SERVICES) await dropSchema(infra.databaseUrl, serviceSchema(namespace, service));
    await store.removeBucket(true).catch(() => undefined);
  });

  /** /readyz answers 200 within the time (serving is ready once the registry answered about champions). */
  async function ready(port: unknown, withinMs = 60_000): Promise<number> {
    const deadline = Date.now() + withinMs;
    for (;;) {
      const status = (await fetch(`http://127.0.0.1:${String(port)}/readyz`)).status;
      if (status === 200 || Date.now() > deadline) return status;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  for (const service of SERVICES) {
    it(`${service} starts from services/${service}/dist, answers /readyz and exits 0 on SIGTERM`, async () => {
      const env = { ...serviceEnv(infra, namespace, bucket), OTEL_SERVICE_NAME: `gyre-${service}` };
      // Serving loads the champions the registry names before it is ready: a compiled registry answers it.
      const registry =
        service === "serving" ? await startService("registry", env, undefined, { compiled: true }) : undefined;
      const running: RunningService = await startService(
        service,
        { ...env, ...(registry ? grpcAddressEnv(registry) : {}) },
        undefined,
        { compiled: true },
      );
      try {
        assert.deepEqual(running.process.spawnargs.slice(1), serviceCommand(service, { compiled: true }).args);
        const ops = running.logs.find((line) => line.event === "service.ops_listening");
        assert.ok(ops?.port, `${service} logged service.ops_listening with its port`);
        assert.equal(await ready(ops.port), 200);
        const exposition = await (await fetch(`http://127.0.0.1:${String(ops.port)}/metrics`)).text();
        assert.match(exposition, /^# HELP /m);
      } finally {
        assert.equal(await running.stop(), 0);
        if (registry) assert.equal(await registry.stop(), 0);
      }
    });
  }
});
