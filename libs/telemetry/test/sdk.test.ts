import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createLogger } from "@gyre/log";
import { startTelemetry, TelemetryAlreadyStartedError } from "@gyre/telemetry";
import { context, propagation, trace } from "@opentelemetry/api";
import { KeepingSpanExporter } from "./keeping-span-exporter.ts";

function startInMemory(serviceName = "sdk-test") {
  const exporter = new KeepingSpanExporter();
  const telemetry = startTelemetry({ serviceName, serviceVersion: "1.0.0", exporter });
  return { exporter, telemetry };
}

describe("startTelemetry", () => {
  it("exports spans with the Gyre resource: service name, version, namespace and instance id", async () => {
    const { exporter, telemetry } = startInMemory("sdk-resource");
    trace.getTracer("test").startSpan("work").end();
    await telemetry.shutdown();
    const [span] = exporter.getFinishedSpans();
    assert.ok(span);
    const resource = span.resource.attributes;
    assert.equal(resource["service.name"], "sdk-resource");
    assert.equal(resource["service.version"], "1.0.0");
    assert.equal(resource["service.namespace"], "gyre");
    assert.match(String(resource["service.instance.id"]), /^[0-9a-f-]{36}$/);
  });

  it("links a log line to the span it was written in", async () => {
    const { exporter, telemetry } = startInMemory();
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({
      service: "sdk-test",
      destination: { write: (line) => lines.push(JSON.parse(line)) },
    });
    await trace.getTracer("test").startActiveSpan("handle", async (span) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      logger.info("handled");
      span.end();
    });
    await telemetry.shutdown();
    const [span] = exporter.getFinishedSpans();
    assert.ok(span);
    assert.equal(lines[0]?.trace_id, span.spanContext().traceId);
    assert.equal(lines[0]?.span_id, span.spanContext().spanId);
  });

  it("injects W3C traceparent and baggage headers", async () => {
    const { telemetry } = startInMemory();
    const headers: Record<string, string> = {};
    const span = trace.getTracer("test").startSpan("publish");
    const withBaggage = propagation.setBaggage(
      trace.setSpan(context.active(), span),
      propagation.createBaggage({ "gyre.dataset": { value: "weather" } }),
    );
    propagation.inject(withBaggage, headers);
    span.end();
    await telemetry.shutdown();
    const { traceId, spanId } = span.spanContext();
    assert.equal(headers.traceparent, `00-${traceId}-${spanId}-01`);
    assert.equal(headers.baggage, "gyre.dataset=weather");
  });

  it("refuses a second start until the first is shut down", async () => {
    const { telemetry } = startInMemory("first");
    assert.throws(() => startInMemory("second"), TelemetryAlreadyStartedError);
    await telemetry.shutdown();
    const again = startInMemory("second");
    await again.telemetry.shutdown();
    assert.equal(again.telemetry.enabled, true);
  });

  it("starts nothing when disabled, so spans are not recorded", async () => {
    const exporter = new KeepingSpanExporter();
    const telemetry = startTelemetry({ serviceName: "off", serviceVersion: "1", exporter, disabled: true });
    const span = trace.getTracer("test").startSpan("ignored");
    span.end();
    await telemetry.shutdown();
    assert.equal(telemetry.enabled, false);
    assert.equal(span.isRecording(), false);
    assert.deepEqual(exporter.getFinishedSpans(), []);
  });
});
