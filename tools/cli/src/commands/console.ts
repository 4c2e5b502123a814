import type { Command } from "commander";
import { CliError, EXIT } from "../failures.ts";

interface ConsoleOptions {
  port?: string;
  host?: string;
}

export function registerConsole(program: Command): void {
  program
    .command("console")
    .description("Serve the operator console (web page) on 127.0.0.1:3000; Ctrl-C stops it")
    .option("--port <port>", "port to listen on (CONSOLE_PORT; default 3000)")
    .option("--host <host>", "address to bind (CONSOLE_HOST; default 127.0.0.1)")
    .addHelpText(
      "after",
      `
Reads the services' gRPC APIs, the bus and JAEGER_QUERY_URL; builds the page with Vite when it is missing or stale.
Promote and roll back need the operator token: GYRE_OPERATOR_TOKEN (or GYRE_OPERATOR_TOKEN_FILE); without it the
console is read-only. See docs/console.md.`,
    )
    .action(serveConsole);
}

async function serveConsole(options: ConsoleOptions): Promise<void> {
  // Loaded when the command runs (the config schema pulls in zod): `gyre --help` does not wait for it.
  const { resolveEnv } = await import("../config.ts");
  const env = resolveEnv(process.env);
  if (options.port !== undefined) env.CONSOLE_PORT = options.port;
  if (options.host !== undefined) env.CONSOLE_HOST = options.host;
  const { buildBundle, loadConsoleConfig, startConsole } = await import("@gyre/console");
  const config = loadConsoleConfig(env);
  if (await buildBundle()) process.stderr.write("gyre: built the console's page (tools/console/dist)\n");
  let running: Awaited<ReturnType<typeof startConsole>>;
  try {
    running = await startConsole(config);
  } catch (error) {
    throw new CliError(`the console did not start: ${(error as Error).message}`, EXIT.failed);
  }
  process.stdout.write(
    `Gyre console: ${running.url} (namespace ${config.GYRE_NAMESPACE}, ${config.GYRE_OPERATOR_TOKEN ? "operator token set" : "read-only: no GYRE_OPERATOR_TOKEN"}); Ctrl-C stops it\n`,
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await running.close();
}
