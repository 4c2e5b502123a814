import { register } from "node:module";
import { createAddHookMessageChannel } from "import-in-the-middle";
import { startTelemetry, type Telemetry, type TelemetryOptions } from "./sdk.ts";

/**
 * Registers the import-in-the-middle loader hook, then starts telemetry. Under ESM an instrumentation
 * only patches modules imported after both have happened, so call this from an `--import` module
 * (see register.ts), never from a service's main file.
 */
export async function preloadTelemetry(options: TelemetryOptions): Promise<Telemetry> {
  if (options.disabled) return startTelemetry(options);
  // Only the modules an instrumentation asks for (pg, http, @grpc/grpc-js) are wrapped, not every import.
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register("import-in-the-middle/hook.mjs", import.meta.url, registerOptions);
  const telemetry = startTelemetry(options);
  await waitForAllMessagesAcknowledged();
  return telemetry;
}
