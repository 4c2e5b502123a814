import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { EX_CONFIG } from "@gyre/config";
import { infraFromEnv, uniqueId } from "@gyre/testkit";
import { startOtlpReceiver } from "./otlp-receiver.ts";
import { PRELOAD_IN_MEMORY, REGISTER, runWithPreload } from "./run-fixture.ts";

interface FixtureSpan {
  name: string;
  kind: number;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, unknown>;
}

const SPAN_KIND_SERVER = 1;
const SPAN_KIND_CLIENT = 2;

function spansFrom(stdout: string): FixtureSpan[] {
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "[]");
}

describe("--import @gyre/telemetry/register", () => {
  const infra = infraFromEnv();
  const s3Env = {
    S3_ENDPOINT: infra.s3.endpoint,
    S3_ACCESS_KEY: infra.s3.accessKey,
    S3_SECRET_KEY: infra.s3.secretKey,
    S3_REGION: infra.s3.region,
  };
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;

  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(() => receiver.close());

  it("exports pg query spans over OTLP/HTTP for an ESM import of pg", async () => {
    const serviceName = uniqueId("svc");
    const run = await runWithPreload(REGISTER, "query-postgres.ts", {
      DATABASE_URL: infra.databaseUrl,
      OTEL_SERVICE_NAME: serviceName,
      SERVICE_VERSION: "9.9.9",
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    });
    assert.equal(run.status, 0, run.stderr);
    assert.ok(receiver.paths.includes("/v1/traces"), `requests went to ${receiver.paths.join(", ")}`);
    const received = receiver.received();
    for (const expected of [serviceName, "9.9.9", "service.namespace", "service.instance.id", "probe"]) {
      assert.ok(received.includes(expected), `${expected} was not exported`);
    }
    assert.ok(received.includes("pg.query:SELECT"), "no pg query span was exported");
    assert.ok(received.includes("SELECT 1 AS gyre_probe"), "the query text was not exported");
  });

  it("exports nothing and still runs when OTEL_SDK_DISABLED=true", async () => {
    const serviceName = uniqueId("off");
    const run = await runWithPreload(REGISTER, "query-postgres.ts", {
      DATABASE_URL: infra.databaseUrl,
      OTEL_SERVICE_NAME: serviceName,
      OTEL_SDK_DISABLED: "true",
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    });
    assert.equal(run.status, 0, run.stderr);
    assert.ok(!receiver.received().includes(serviceName));
  });

  it("stops with exit code 78 when the telemetry environment is invalid", async () => {
    const run = await runWithPreload(REGISTER, "query-postgres.ts", {
      OTEL_EXPORTER_OTLP_ENDPOINT: "localhost:4318",
    });
    assert.equal(run.status, EX_CONFIG);
    assert.match(run.stderr, /OTEL_EXPORTER_OTLP_ENDPOINT="localhost:4318": expected a URL starting with http:\/\//);
  });

  it("makes pg spans CLIENT children of the span active around the query", async () => {
    const run = await runWithPreload(PRELOAD_IN_MEMORY, "query-postgres.ts", {
      DATABASE_URL: infra.databaseUrl,
    });
    assert.equal(run.status, 0, run.stderr);
    const spans = spansFrom(run.stdout);
    const probe = spans.find((span) => span.name === "probe");
    const query = spans.find((span) => span.name.startsWith("pg.query"));
    assert.ok(probe && query, `spans: ${spans.map((span) => span.name).join(", ")}`);
    assert.equal(query.parentSpanId, probe.spanId);
    assert.equal(query.kind, SPAN_KIND_CLIENT);
    assert.equal(query.attributes["db.system.name"], "postgresql");
    assert.equal(query.attributes["db.query.text"], "SELECT 1 AS gyre_probe");
  });

  it("traces S3 requests of the minio client as HTTP CLIENT spans", async () => {
    const run = await runWithPreload(PRELOAD_IN_MEMORY, "call-s3.ts", s3Env);
    assert.equal(run.status, 0, run.stderr);
    const spans = spansFrom(run.stdout);
    const probe = spans.find((span) => span.name === "probe");
    const request = spans.find((span) => span.name === "HEAD");
    assert.ok(probe && request, `spans: ${spans.map((span) => span.name).join(", ")}`);
    assert.equal(request.parentSpanId, probe.spanId);
    assert.equal(request.kind, SPAN_KIND_CLIENT);
    assert.equal(request.attributes["url.full"], `${infra.s3.endpoint}/gyre-telemetry-probe`);
  });

  it("traces a gRPC call as a CLIENT span with the SERVER span as its child", async () => {
    const run = await runWithPreload(PRELOAD_IN_MEMORY, "call-grpc.ts", {});
    assert.equal(run.status, 0, run.stderr);
    const spans = spansFrom(run.stdout);
    const probe = spans.find((span) => span.name === "probe");
    const client = spans.find((span) => span.kind === SPAN_KIND_CLIENT);
    const server = spans.find((span) => span.kind === SPAN_KIND_SERVER);
    assert.ok(probe && client && server, `spans: ${spans.map((span) => `${span.name}/${span.kind}`).join(", ")}`);
    assert.equal(client.name, "grpc.gyre.test.Echo/Echo");
    assert.equal(client.parentSpanId, probe.spanId);
    assert.equal(server.parentSpanId, client.spanId);
  });
});
