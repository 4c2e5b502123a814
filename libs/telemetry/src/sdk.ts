import { randomUUID } from "node:crypto";
import { context, propagation, trace } from "@opentelemetry/api";
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { type Instrumentation, registerInstrumentations } from "@opentelemetry/instrumentation";
import { GrpcInstrumentation } from "@opentelemetry/instrumentation-grpc";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { PgInstrumentation } from "@opentelemetry/instrumentation-pg";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { BatchSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";

// Incubating resource attributes, copied rather than imported as the semantic-conventions package advises.
const ATTR_SERVICE_NAMESPACE = "service.namespace";
const ATTR_SERVICE_INSTANCE_ID = "service.instance.id";

/** Ops endpoints are scraped every few seconds; spans for them would bury the real traffic. */
const UNTRACED_PATHS = new Set(["/metrics", "/healthz", "/readyz"]);

export interface TelemetryOptions {
  serviceName: string;
  serviceVersion: string;
  /** Base URL of an OTLP/HTTP receiver (Jaeger accepts OTLP); spans go to `<otlpEndpoint>/v1/traces`. */
  otlpEndpoint?: string;
  /** Replaces the OTLP exporter, e.g. with an InMemorySpanExporter in tests. */
  exporter?: SpanExporter;
  /** OTEL_SDK_DISABLED: start nothing, so every span is a no-op. */
  disabled?: boolean;
}

export interface Telemetry {
  readonly enabled: boolean;
  /** Flushes pending spans, stops the SDK and removes its global registrations. */
  shutdown(): Promise<void>;
}

export class TelemetryAlreadyStartedError extends Error {
  override name = "TelemetryAlreadyStartedError";
  constructor(serviceName: string) {
    super(
      `telemetry for ${JSON.stringify(serviceName)}: already started in this process (by --import @gyre/telemetry/register?); call shutdownTelemetry() first`,
    );
  }
}

let running: Telemetry | undefined;

export const DEFAULT_OTLP_ENDPOINT = "http://127.0.0.1:4318";

export function traceExporterUrl(otlpEndpoint: string): string {
  return `${otlpEndpoint.replace(/\/+$/, "")}/v1/traces`;
}

export function gyreInstrumentations(): Instrumentation[] {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has((request.url ?? "").split("?")[0] ?? ""),
    }),
    new PgInstrumentation(),
    new GrpcInstrumentation(),
  ];
}

/**
 * Starts OpenTelemetry tracing: W3C trace-context and baggage propagation, a BatchSpanProcessor that
 * exports over OTLP/HTTP protobuf, and the http, pg and grpc instrumentations. Modules imported before
 * this runs are not instrumented under ESM; start it with `node --import @gyre/telemetry/register`.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  if (running) throw new TelemetryAlreadyStartedError(options.serviceName);
  if (options.disabled) return { enabled: false, shutdown: async () => {} };

  const exporter =
    options.exporter ?? new OTLPTraceExporter({ url: traceExporterUrl(options.otlpEndpoint ?? DEFAULT_OTLP_ENDPOINT) });
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.serviceName,
      [ATTR_SERVICE_VERSION]: options.serviceVersion,
      [ATTR_SERVICE_NAMESPACE]: "gyre",
      [ATTR_SERVICE_INSTANCE_ID]: randomUUID(),
    }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
    textMapPropagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
    // The SDK would otherwise default to OTLP metric and log exporters; metrics are Prometheus, logs stdout.
    metricReaders: [],
    logRecordProcessors: [],
  });
  // Registered here rather than by NodeSDK, which never disables them: shutdown must unpatch modules.
  const unloadInstrumentations = registerInstrumentations({ instrumentations: gyreInstrumentations() });
  sdk.start();

  const telemetry: Telemetry = {
    enabled: true,
    async shutdown() {
      if (running !== telemetry) return;
      running = undefined;
      unloadInstrumentations();
      await sdk.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
  running = telemetry;
  return telemetry;
}

/** Flushes and stops the telemetry started in this process (by register.ts or startTelemetry); safe to call twice. */
export async function shutdownTelemetry(): Promise<void> {
  await running?.shutdown();
}
