// The console as a process of its own (compose, Kubernetes): builds the page if needed, serves it, drains on SIGTERM.
import { EX_CONFIG } from "@gyre/config";
import { buildBundle } from "./bundle.ts";
import { loadConsoleConfig } from "./config.ts";
import { startConsole } from "./server.ts";

const config = (() => {
  try {
    return loadConsoleConfig();
  } catch (error) {
    process.stderr.write(`gyre-console: ${(error as Error).message}\n`);
    process.exit(EX_CONFIG);
  }
})();
await buildBundle();
const running = await startConsole(config);
process.stdout.write(`${JSON.stringify({ level: "info", event: "console.url", url: running.url })}\n`);
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    void running.close().then(() => process.exit(0));
  });
}
