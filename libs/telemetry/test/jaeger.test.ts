import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { startTelemetry } from "@gyre/telemetry";
import { InfraUnavailableError, infraFromEnv, uniqueId } from "@gyre/testkit";
import { trace } from "@opentelemetry/api";
import { REGISTER, runWithPreload } from "./run-fixture.ts";

interface JaegerTrace {
  traceID: string;
  spans: {
    spanID: string;
    operationName: string;
    references: { refType: string; traceID: string; spanID: string }[];
    tags: { key: string; value: unknown }[];
  }[];
}

/** Jaeger indexes asynchronously; poll its query API until the service's traces appear. */
async function tracesOf(jaegerQueryUrl: string, service: string, timeoutMs = 20_000): Promise<JaegerTrace[]> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await fetch(`${jaegerQueryUrl}/api/traces?service=${encodeURIComponent(service)}&limit=20`);
    if (response.ok) {
      const { data } = (await response.json()) as { data: JaegerTrace[] | null };
      if (data && data.length > 0) return data;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return [];
}

describe("span export to Jaeger", () => {
  const infra = infraFromEnv();

  before(async () => {
    const reachable = await fetch(`${infra.jaegerQueryUrl}/api/services`).then(
      (response) => response.ok,
      () => false,
    );
    if (!reachable) {
      throw new InfraUnavailableError(
        `Jaeger query API at ${infra.jaegerQueryUrl} does not answer: start it with \`bash deploy/local/up.sh\``,
      );
    }
  });

  it("delivers a span over OTLP that Jaeger then returns for the service", async () => {
    const serviceName = uniqueId("jaeger");
    const telemetry = startTelemetry({ serviceName, serviceVersion: "1.0.0", otlpEndpoint: infra.otlpEndpoint });
    const span = trace.getTracer("jaeger-test").startSpan("gyre.test.export");
    span.end();
    await telemetry.shutdown();

    const traces = await tracesOf(infra.jaegerQueryUrl, serviceName);
    const exported = traces.find((found) => found.traceID === span.spanContext().traceId);
    assert.ok(exported, `trace ${span.spanContext().traceId} of ${serviceName} not found in Jaeger`);
    assert.deepEqual(
      exported.spans.map(({ spanID, operationName }) => ({ spanID, operationName })),
      [{ spanID: span.spanContext().spanId, operationName: "gyre.test.export" }],
    );
  });

  it("shows the pg query of a service started with --import @gyre/telemetry/register as a child span", async () => {
    const serviceName = uniqueId("pgsvc");
    const run = await runWithPreload(REGISTER, "query-postgres.ts", {
      DATABASE_URL: infra.databaseUrl,
      OTEL_SERVICE_NAME: serviceName,
      OTEL_EXPORTER_OTLP_ENDPOINT: infra.otlpEndpoint,
    });
    assert.equal(run.status, 0, run.stderr);

    const [found] = await tracesOf(infra.jaegerQueryUrl, serviceName);
    assert.ok(found, `no trace of ${serviceName} in Jaeger`);
    const probe = found.spans.find((span) => span.operationName === "probe");
    const query = found.spans.find((span) => span.operationName.startsWith("pg.query"));
    assert.ok(probe && query, `spans: ${found.spans.map((span) => span.operationName).join(", ")}`);
    assert.deepEqual(query.references, [{ refType: "CHILD_OF", traceID: found.traceID, spanID: probe.spanID }]);
    assert.ok(query.tags.some((tag) => tag.key === "db.query.text" && tag.value === "SELECT 1 AS gyre_probe"));
  });
});
