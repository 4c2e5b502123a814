import { maskUrlPasswords } from "@gyre/config/secrets";
import { Command, CommanderError } from "commander";
import { registerConsole } from "./commands/console.ts";
import { registerDatasets } from "./commands/datasets.ts";
import { registerDrift } from "./commands/drift.ts";
import { registerFeatures } from "./commands/features.ts";
import { registerIngest } from "./commands/ingest.ts";
import { registerMetrics } from "./commands/metrics.ts";
import { registerModels } from "./commands/models.ts";
import { registerPredict } from "./commands/predict.ts";
import { registerRuns } from "./commands/runs.ts";
import { registerStatus } from "./commands/status.ts";
import { registerUp } from "./commands/up.ts";
import { CliError, EXIT } from "./failures.ts";

const program = new Command("gyre")
  .description("Operate Gyre: start the services, apply dataset specs, ingest data, inspect models, runs and drift.")
  .version("0.1.0")
  .enablePositionalOptions()
  .showHelpAfterError()
  .exitOverride()
  .option("--tls-ca <file>", "CA (PEM) that signs the services' gRPC certificates; sets GRPC_CLIENT_TLS_CA")
  .option("--tls-cert <file>", "client certificate (PEM) for gRPC mTLS; sets GRPC_CLIENT_TLS_CERT")
  .option("--tls-key <file>", "key (PEM) of --tls-cert; sets GRPC_CLIENT_TLS_KEY")
  .hook("preAction", () => {
    // Through the environment, so the Session reads them like the variables (and `gyre up` passes them on).
    const { tlsCa, tlsCert, tlsKey } = program.opts<{ tlsCa?: string; tlsCert?: string; tlsKey?: string }>();
    if (tlsCa !== undefined) process.env.GRPC_CLIENT_TLS_CA = tlsCa;
    if (tlsCert !== undefined) process.env.GRPC_CLIENT_TLS_CERT = tlsCert;
    if (tlsKey !== undefined) process.env.GRPC_CLIENT_TLS_KEY = tlsKey;
  })
  .addHelpText(
    "after",
    `
Configuration comes from the environment (NATS_URL, GYRE_NAMESPACE, S3_*, <SERVICE>_GRPC_ADDR, ...); variables
that are unset are read from deploy/local/.run/env when it exists. Read commands take --json.
gRPC over TLS: --tls-ca (or GRPC_CLIENT_TLS_CA); mTLS: also --tls-cert and --tls-key (GRPC_CLIENT_TLS_CERT/KEY).
The --tls-* options go before the command: gyre --tls-ca ca.pem models ls.`,
  );

registerUp(program);
registerDatasets(program);
registerIngest(program);
registerPredict(program);
registerFeatures(program);
registerModels(program);
registerRuns(program);
registerDrift(program);
registerMetrics(program);
registerStatus(program);
registerConsole(program);

/** Errors of the libraries whose message is all an operator needs (they name the value and what to do). */
const PLAIN_ERRORS = new Set([
  "UnknownDatasetError",
  "UnknownSpecRevisionError",
  "SpecInferenceError",
  "InvalidNameError",
  "InvalidS3UrlError",
  "InvalidArgumentError",
]);

// Classified by name: the libraries that define these load slowly, and most commands never need them.
function report(error: unknown): number {
  // An error may quote a connection URL (NATS_URL=nats://user:password@…): its password never reaches the terminal.
  const write = (text: string) => process.stderr.write(maskUrlPasswords(text));
  if (error instanceof CommanderError) return error.exitCode;
  if (!(error instanceof Error)) {
    write(`gyre: ${String(error)}\n`);
    return EXIT.failed;
  }
  if (error.name === "ConfigError" || error.name === "TlsConfigError") {
    write(`gyre: ${error.message}\n`);
    return EXIT.config;
  }
  if (error.name === "SpecInvalidError") {
    const { problems } = error as Error & { problems: string[] };
    const subject = error.message.slice(0, error.message.indexOf(" is invalid"));
    write(`gyre: ${subject} is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n`);
    for (const problem of problems) write(`  - ${problem}\n`);
    return EXIT.failed;
  }
  if (error instanceof CliError || PLAIN_ERRORS.has(error.name)) {
    write(`gyre: ${error.message}\n`);
    return error instanceof CliError ? error.exitCode : EXIT.failed;
  }
  write(`gyre: ${process.env.GYRE_DEBUG ? error.stack : error.message}\n`);
  return EXIT.failed;
}

let code = 0;
try {
  await program.parseAsync(process.argv);
  code = Number(process.exitCode ?? 0);
} catch (error) {
  code = report(error);
}
// Exit explicitly: gRPC channels and NATS reconnect timers must not keep a finished command alive.
process.exit(code);
