import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { eventSubject } from "@gyre/contracts";
import { propagation, SpanKind, trace } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { HandlerContext } from "../src/index.ts";
import { arrivedEvent, busForTest, waitUntil } from "./harness.ts";

const exporter = new InMemorySpanExporter();

before(() => {
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
});
after(() => {
  trace.disable();
  propagation.disable();
});

test("the consumer span is a child of the producer span across the NATS hop", async (t) => {
  const { harness, bus } = await busForTest(t);
  const contexts: HandlerContext[] = [];
  const consumer = await bus.consume({
    service: "traced",
    events: ["data.arrived"],
    handler: (_event, ctx) => {
      contexts.push(ctx);
    },
  });
  const subject = eventSubject(harness.namespace, "data.arrived", "weather");
  await bus.publish(arrivedEvent("weather", "traced-1"), "weather");
  const finished = () => exporter.getFinishedSpans();
  await waitUntil("the consumer span ended", () => finished().some((span) => span.kind === SpanKind.CONSUMER));
  await consumer.stop();

  const producer = finished().find((span) => span.kind === SpanKind.PRODUCER);
  const consumerSpan = finished().find((span) => span.kind === SpanKind.CONSUMER);
  assert.ok(producer && consumerSpan);
  assert.equal(producer.name, `publish ${subject}`);
  assert.equal(consumerSpan.name, `process ${subject}`);
  assert.equal(consumerSpan.spanContext().traceId, producer.spanContext().traceId);
  assert.equal(consumerSpan.parentSpanContext?.spanId, producer.spanContext().spanId);
  assert.equal(contexts[0]?.span.spanContext().spanId, consumerSpan.spanContext().spanId, "ctx.span is the span");
  assert.match(contexts[0]?.headers?.get("traceparent") ?? "", new RegExp(producer.spanContext().spanId));
  assert.deepEqual(
    {
      system: producer.attributes["messaging.system"],
      destination: producer.attributes["messaging.destination.name"],
      id: producer.attributes["messaging.message.id"],
      operation: producer.attributes["messaging.operation.type"],
    },
    { system: "nats", destination: subject, id: "traced-1", operation: "send" },
  );
  assert.ok(Number(producer.attributes["messaging.message.body.size"]) > 0);
  assert.equal(consumerSpan.attributes["messaging.consumer.group.name"], "traced");
  assert.equal(consumerSpan.attributes["messaging.operation.type"], "process");
});
