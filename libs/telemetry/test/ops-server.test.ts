import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import {
  busMetrics,
  busObserver,
  createMetricsRegistry,
  METRIC,
  type OpsServer,
  type OpsServerOptions,
  startOpsServer,
} from "@gyre/telemetry";

describe("ops server", () => {
  const servers: OpsServer[] = [];
  after(() => Promise.all(servers.map((server) => server.close())));

  async function start(options: Partial<OpsServerOptions> = {}) {
    const registry = options.registry ?? createMetricsRegistry({ service: "ops-test" });
    const server = await startOpsServer({ port: 0, host: "127.0.0.1", registry, ...options });
    servers.push(server);
    return { server, registry };
  }

  it("serves the bus counters and the default process metrics on /metrics", async () => {
    const registry = createMetricsRegistry({ service: "ops-test" });
    const observer = busObserver(busMetrics(registry));
    const { server } = await start({ registry });
    observer.handled("gyre.data.arrived.weather", 42);
    observer.failed("gyre.data.arrived.weather", "timeout");
    observer.deadLettered("gyre.data.arrived.weather", "invalid_event");

    const response = await fetch(`${server.url}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/plain/);
    const text = await response.text();
    assert.match(text, /gyre_events_handled_total\{subject="gyre\.data\.arrived\.weather",service="ops-test"\} 1/);
    assert.match(
      text,
      /gyre_events_failed_total\{subject="gyre\.data\.arrived\.weather",reason="timeout",service="ops-test"\} 1/,
    );
    assert.match(text, /gyre_events_dead_lettered_total\{[^}]*reason="invalid_event"[^}]*\} 1/);
    assert.match(
      text,
      /gyre_handler_duration_seconds_bucket\{le="0\.05",[^}]*subject="gyre\.data\.arrived\.weather"[^}]*\} 1/,
    );
    assert.match(text, /^process_cpu_seconds_total\{service="ops-test"\} \d/m);
  });

  it("answers /healthz with 200 until draining, then 503", async () => {
    const { server } = await start();
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    server.setDraining();
    const draining = await fetch(`${server.url}/healthz`);
    assert.equal(draining.status, 503);
    assert.deepEqual(await draining.json(), { status: "draining" });
    assert.equal((await fetch(`${server.url}/readyz`)).status, 503);
  });

  it("answers /readyz with 200 and each check's status when all checks pass", async () => {
    const { server } = await start({ checks: { nats: () => {}, postgres: async () => {} } });
    const response = await fetch(`${server.url}/readyz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {
      status: "ready",
      checks: { nats: { status: "ok" }, postgres: { status: "ok" } },
    });
  });

  it("answers /readyz with 503 naming the failing check and its error", async () => {
    const { server } = await start({
      checks: {
        nats: () => {},
        postgres: async () => {
          throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
        },
      },
    });
    const response = await fetch(`${server.url}/readyz`);
    assert.equal(response.status, 503);
    assert.deepEqual(await response.json(), {
      status: "not ready",
      failing: ["postgres"],
      checks: {
        nats: { status: "ok" },
        postgres: { status: "failed", error: "Error: connect ECONNREFUSED 127.0.0.1:5432" },
      },
    });
  });

  it("fails a readiness check that does not answer within the timeout", async () => {
    const { server } = await start({
      checks: { s3: () => new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref()) },
      checkTimeoutMs: 100,
    });
    const response = await fetch(`${server.url}/readyz`);
    assert.equal(response.status, 503);
    const body = (await response.json()) as { failing: string[]; checks: { s3: { error: string } } };
    assert.deepEqual(body.failing, ["s3"]);
    assert.equal(body.checks.s3.error, 'CheckTimeoutError: readiness check "s3": no answer within 100 ms');
  });

  it("answers an unknown path with 404 naming the path", async () => {
    const { server } = await start();
    const response = await fetch(`${server.url}/metricz`);
    assert.equal(response.status, 404);
    assert.match(((await response.json()) as { error: string }).error, /"\/metricz"/);
  });
});

describe("metric factories", () => {
  it("return the same metric when asked twice on one registry", () => {
    const registry = createMetricsRegistry({ service: "ops-test", defaultMetrics: false });
    assert.equal(busMetrics(registry).handled, busMetrics(registry).handled);
    assert.deepEqual(
      registry.getMetricsAsArray().map((metric) => metric.name),
      [METRIC.eventsHandled, METRIC.eventsFailed, METRIC.eventsDeadLettered, METRIC.handlerDuration],
    );
  });
});
