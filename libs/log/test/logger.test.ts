import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createLogger } from "@gyre/log";
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";

/** Captures what the logger writes, one parsed JSON object per line. */
function capturedLogger(options: { level?: "info" | "debug" } = {}) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    service: "log-test",
    version: "1.2.3",
    ...options,
    destination: { write: (line: string) => lines.push(JSON.parse(line)) },
  });
  return { logger, lines };
}

describe("createLogger", () => {
  const contextManager = new AsyncLocalStorageContextManager();

  before(() => {
    context.setGlobalContextManager(contextManager.enable());
    trace.setGlobalTracerProvider(new BasicTracerProvider());
  });

  after(() => {
    trace.disable();
    context.disable();
  });

  it("adds the active span's trace id and span id to a line logged inside it", async () => {
    const { logger, lines } = capturedLogger();
    const tracer = trace.getTracer("log-test");
    const ids = await tracer.startActiveSpan("handle", async (span) => {
      await new Promise((resolve) => setImmediate(resolve));
      logger.info({ dataset: "weather" }, "batch handled");
      span.end();
      return span.spanContext();
    });
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.trace_id, ids.traceId);
    assert.equal(lines[0]?.span_id, ids.spanId);
    assert.equal(lines[0]?.trace_flags, "01");
    assert.equal(lines[0]?.dataset, "weather");
  });

  it("adds no trace fields to a line logged outside any span", () => {
    const { logger, lines } = capturedLogger();
    logger.info("idle");
    assert.equal(lines.length, 1);
    assert.ok(!("trace_id" in (lines[0] ?? {})));
    assert.ok(!("span_id" in (lines[0] ?? {})));
  });

  it("writes level as a word, ISO time, service and version", () => {
    const { logger, lines } = capturedLogger();
    logger.warn("slow");
    logger.debug("hidden at the default level");
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.level, "warn");
    assert.equal(lines[0]?.service, "log-test");
    assert.equal(lines[0]?.version, "1.2.3");
    assert.equal(lines[0]?.msg, "slow");
    assert.match(String(lines[0]?.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("redacts credentials and the password inside connection URLs", () => {
    const { logger, lines } = capturedLogger();
    logger.info(
      {
        password: "hunter2",
        s3: { secretKey: "s3-secret", accessKey: "visible-access-key" },
        req: { headers: { authorization: "Bearer abc" } },
        DATABASE_URL: "postgres://gyre:pg-pass@db:5432/gyre",
      },
      "connecting",
    );
    const line = lines[0] ?? {};
    assert.equal(line.password, "[Redacted]");
    assert.deepEqual(line.s3, { secretKey: "[Redacted]", accessKey: "visible-access-key" });
    assert.deepEqual(line.req, { headers: { authorization: "[Redacted]" } });
    assert.equal(line.DATABASE_URL, "postgres://gyre:***@db:5432/gyre");
    const text = JSON.stringify(lines);
    for (const secret of ["hunter2", "s3-secret", "Bearer abc", "pg-pass"]) assert.ok(!text.includes(secret), secret);
  });

  it("serializes an error under err with its type, message and stack", () => {
    const { logger, lines } = capturedLogger();
    class PublishError extends Error {
      override name = "PublishError";
    }
    logger.error({ err: new PublishError("stream not found") }, "publish failed");
    const err = lines[0]?.err as { type: string; message: string; stack: string };
    assert.equal(err.type, "PublishError");
    assert.equal(err.message, "stream not found");
    assert.match(err.stack, /PublishError: stream not found/);
  });
});
