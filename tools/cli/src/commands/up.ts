import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { CliError, EXIT, START_INFRASTRUCTURE, UnreachableError } from "../failures.ts";
import { REPO_ROOT, SERVICE_ENDPOINTS, type ServiceName } from "../layout.ts";
import { note } from "../output.ts";
import { formatLogLine } from "../serviceLogs.ts";
import type { Session } from "../session.ts";

const STOP_TIMEOUT_MS = 20_000;
const SERVICE_NAMES = SERVICE_ENDPOINTS.map((endpoint) => endpoint.service);

interface UpOptions {
  only?: string;
  jsonLogs?: boolean;
}

export function registerUp(program: Command): void {
  program
    .command("up")
    .description("Start the seven services as child processes against the configured infrastructure; Ctrl-C stops them")
    .option("--only <services>", `a comma-separated subset of ${SERVICE_NAMES.join(", ")}`)
    .option("--json-logs", "pass the services' JSON log lines through unchanged")
    .action(up);
}

function chosenServices(only: string | undefined): ServiceName[] {
  if (only === undefined) return [...SERVICE_NAMES];
  const names = only
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(SERVICE_NAMES as string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new CliError(`--only ${JSON.stringify(only)}: services are ${SERVICE_NAMES.join(", ")}`);
  }
  return SERVICE_NAMES.filter((name) => names.includes(name));
}

/** Whether a TCP connection to host:port opens within the time. */
async function reachable(host: string, port: number, timeoutMs = 2000): Promise<string | null> {
  // node:net and node:readline are loaded when `up` runs: `gyre --help` does not wait for them.
  const { Socket } = await import("node:net");
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (problem: string | null) => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs} ms`));
    socket.once("error", (error) => done((error as NodeJS.ErrnoException).code ?? error.message));
    socket.connect(port, host, () => done(null));
  });
}

/** DATABASE_URL, or the content of DATABASE_URL_FILE; a problem with the file is a configuration error. */
async function databaseUrl(env: Record<string, string | undefined>): Promise<string | undefined> {
  const { describeProblem, readSecretFiles } = await import("@gyre/config");
  const present = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => !!entry[1]));
  const { env: resolved, problems } = readSecretFiles(present, ["DATABASE_URL"]);
  const problem = problems[0];
  if (problem) throw new CliError(describeProblem(problem), EXIT.config);
  return resolved.DATABASE_URL;
}

/** NATS, PostgreSQL and S3 answer before any service starts; the first that does not is named. */
async function checkInfrastructure(session: Session): Promise<void> {
  await session.bus();
  const env = session.env;
  const { loadS3Config } = await import("../config.ts");
  const checks: { what: string; variable: string; url: string | undefined; defaultPort: number }[] = [
    { what: "PostgreSQL", variable: "DATABASE_URL", url: await databaseUrl(env), defaultPort: 5432 },
    { what: "S3", variable: "S3_ENDPOINT", url: loadS3Config(env).S3_ENDPOINT, defaultPort: 443 },
  ];
  for (const check of checks) {
    if (!check.url) {
      throw new CliError(`${check.variable} is not set: the services need it; ${START_INFRASTRUCTURE}`, EXIT.config);
    }
    const url = new URL(check.url);
    const port = Number(url.port || (url.protocol === "http:" ? 80 : check.defaultPort));
    const problem = await reachable(url.hostname, port);
    if (problem) {
      const address = `${url.hostname}:${port}`;
      throw new UnreachableError(
        { what: check.what, address, variable: check.variable, howToStart: START_INFRASTRUCTURE },
        problem,
      );
    }
  }
}

function pipeLines(
  createInterface: typeof import("node:readline").createInterface,
  child: ChildProcess,
  service: string,
  width: number,
  json: boolean,
): void {
  const prefix = `${service.padEnd(width)} |`;
  const forward = (line: string) => process.stdout.write(`${prefix} ${json ? line : formatLogLine(line)}\n`);
  if (child.stdout) createInterface({ input: child.stdout }).on("line", forward);
  if (child.stderr) createInterface({ input: child.stderr }).on("line", forward);
}

async function up(options: UpOptions): Promise<void> {
  const services = chosenServices(options.only);
  const { Session } = await import("../session.ts");
  const session = new Session();
  try {
    await checkInfrastructure(session);
  } finally {
    await session.close();
  }
  const { spawnService } = await import("@gyre/service");
  const { createInterface } = await import("node:readline");
  const env = session.env;
  const width = Math.max(...services.map((name) => name.length));
  const running = new Map<string, { child: ChildProcess; exited: Promise<number | null> }>();
  for (const service of services) {
    if (!existsSync(join(REPO_ROOT, "services", service, "src/main.ts"))) {
      note(`${service.padEnd(width)} | skipped: services/${service}/src/main.ts does not exist in this checkout`);
      continue;
    }
    const child = spawnService(service, env);
    pipeLines(createInterface, child, service, width, options.jsonLogs === true);
    const exited = new Promise<number | null>((resolve) =>
      child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : null))),
    );
    running.set(service, { child, exited });
  }
  if (running.size === 0) throw new CliError("no service to start: none of the chosen services has a src/main.ts");
  note(`started ${[...running.keys()].join(", ")} in namespace ${session.namespace}; Ctrl-C stops them`);

  let stopping = false;
  const stopAll = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    note(`${signal}: stopping ${[...running.keys()].join(", ")}`);
    for (const { child } of running.values()) if (child.exitCode === null) child.kill("SIGTERM");
    const timer = setTimeout(() => {
      for (const { child } of running.values()) if (child.exitCode === null) child.kill("SIGKILL");
    }, STOP_TIMEOUT_MS);
    await Promise.all([...running.values()].map(({ exited }) => exited));
    clearTimeout(timer);
  };
  const signalled = new Promise<string>((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
  for (const [service, { exited }] of running) {
    void exited.then((code) => {
      if (!stopping) note(`${service.padEnd(width)} | exited with code ${code}; the others keep running`);
    });
  }
  const allExited = Promise.all([...running.values()].map(({ exited }) => exited)).then(() => "exit");
  const reason = await Promise.race([signalled, allExited]);
  if (reason === "exit") {
    throw new CliError("every service exited; see their last log lines above");
  }
  await stopAll(reason);
  note("all services stopped");
}
