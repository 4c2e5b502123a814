/**
 * `node --import @gyre/telemetry/register main.ts` starts OpenTelemetry from the environment
 * (OTEL_SERVICE_NAME, SERVICE_VERSION, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SDK_DISABLED) before the
 * service imports anything it instruments. The service calls `shutdownTelemetry()` when it drains.
 */
import { loadConfigOrExit, telemetryEnv } from "@gyre/config";
import { z } from "zod";
import { preloadTelemetry } from "./preload.ts";
import { shutdownTelemetry } from "./sdk.ts";

const config = loadConfigOrExit(z.object(telemetryEnv));
await preloadTelemetry({
  serviceName: config.OTEL_SERVICE_NAME ?? "unknown_service:node",
  serviceVersion: config.SERVICE_VERSION,
  otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
  disabled: config.OTEL_SDK_DISABLED,
});

// A script that simply runs to its end still exports its spans. An unreachable collector must not crash it.
process.once("beforeExit", () => {
  shutdownTelemetry().catch((error: unknown) => {
    process.stderr.write(`${JSON.stringify({ level: "error", msg: "telemetry flush failed", err: String(error) })}\n`);
  });
});
