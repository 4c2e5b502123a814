import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, connect as tcpConnect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Private nats-server and PostgreSQL instances for tests that must restart, kill or reconfigure the server (fault
 * tests, TLS and authentication tests). Each runs from its own temporary directory on its own port and is removed by
 * `destroy()`; the machine's shared servers are never touched.
 */

export class PrivateServerError extends Error {
  override name = "PrivateServerError";
}

/** A free TCP port on 127.0.0.1 (bound and released; the caller binds it next). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, what: string, child: ChildProcess, output: () => string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new PrivateServerError(
        `${what} exited (${child.exitCode ?? child.signalCode}) while starting:\n${output()}`,
      );
    }
    const open = await new Promise<boolean>((resolve) => {
      const socket = tcpConnect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new PrivateServerError(`${what} did not listen on 127.0.0.1:${port} within ${timeoutMs} ms:\n${output()}`);
}

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

export interface PrivateNatsOptions {
  /** Extra nats-server configuration appended to the generated file (authorization, accounts, tls blocks…). */
  extraConfig?: string;
  /** Server TLS: PEM paths; `verify` requires client certificates signed by `ca`. */
  tls?: { cert: string; key: string; ca?: string; verify?: boolean };
  /** The nats-server binary; NATS_SERVER_BIN or `nats-server` on the PATH by default. */
  binary?: string;
  startTimeoutMs?: number;
}

export interface PrivateNats {
  /** `nats://127.0.0.1:<port>` (or `tls://` when TLS is configured). */
  readonly url: string;
  readonly port: number;
  /** JetStream file storage; survives `restart` and `kill`. */
  readonly storeDir: string;
  readonly configPath: string;
  /** The server's log so far (stdout and stderr). */
  output(): string;
  /** SIGTERM (or the given signal) and wait for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the server again on the same port and storage (after `stop`, or stopping it first). */
  restart(options?: { signal?: NodeJS.Signals; downMs?: number }): Promise<void>;
  /** Stops the server and removes its directory. */
  destroy(): Promise<void>;
}

/** Starts a nats-server with JetStream file storage in a temporary directory. */
export async function startPrivateNats(options: PrivateNatsOptions = {}): Promise<PrivateNats> {
  const binary = options.binary ?? process.env.NATS_SERVER_BIN ?? "nats-server";
  const dir = mkdtempSync(join(tmpdir(), "gyre-nats-"));
  const storeDir = join(dir, "jetstream");
  const configPath = join(dir, "nats.conf");
  const port = await freePort();
  const tls = options.tls;
  const lines = [
    "host: 127.0.0.1",
    `port: ${port}`,
    `server_name: gyre_private_${port}`,
    "max_payload: 1MB",
    `jetstream { store_dir: ${JSON.stringify(storeDir)} }`,
  ];
  if (tls) {
    lines.push(
      "tls {",
      `  cert_file: ${JSON.stringify(tls.cert)}`,
      `  key_file: ${JSON.stringify(tls.key)}`,
      ...(tls.ca ? [`  ca_file: ${JSON.stringify(tls.ca)}`] : []),
      `  verify: ${tls.verify ? "true" : "false"}`,
      "  timeout: 5",
      "}",
    );
  }
  if (options.extraConfig) lines.push(options.extraConfig);
  writeFileSync(configPath, `${lines.join("\n")}\n`);

  let log = "";
  let child: ChildProcess | undefined;
  const start = async () => {
    const started = spawn(binary, ["-c", configPath], { stdio: ["ignore", "pipe", "pipe"] });
    started.stdout?.on("data", (chunk: Buffer) => {
      log += chunk.toString();
    });
    started.stderr?.on("data", (chunk: Buffer) => {
      log += chunk.toString();
    });
    started.once("error", (error) => {
      log += `\nspawn ${binary}: ${error.message}`;
    });
    child = started;
    await waitForPort(port, `nats-server (${configPath})`, started, () => log, options.startTimeoutMs ?? 20_000);
  };
  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    const running = child;
    if (!running) return;
    running.kill(signal);
    const timer = setTimeout(() => running.kill("SIGKILL"), 15_000);
    await exitOf(running);
    clearTimeout(timer);
    child = undefined;
  };

  await start();
  return {
    url: `${tls ? "tls" : "nats"}://127.0.0.1:${port}`,
    port,
    storeDir,
    configPath,
    output: () => log,
    stop,
    restart: async ({ signal = "SIGTERM", downMs = 0 } = {}) => {
      await stop(signal);
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      await start();
    },
    destroy: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PrivatePostgresOptions {
  /** Password of the `postgres` superuser; with one, connections over TCP must authenticate (scram-sha-256). */
  password?: string;
  /** Directory of initdb/pg_ctl; found from `pg_config --bindir` by default. */
  binDir?: string;
  startTimeoutMs?: number;
}

export interface PrivatePostgres {
  /** `postgres://postgres[:password]@127.0.0.1:<port>/postgres` */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  output(): string;
  /** `pg_ctl stop` in the given mode: `fast` (default, clean), `immediate` (a crash: recovery on the next start). */
  stop(mode?: "smart" | "fast" | "immediate"): Promise<void>;
  restart(options?: { mode?: "smart" | "fast" | "immediate"; downMs?: number }): Promise<void>;
  destroy(): Promise<void>;
}

function postgresBinDir(): string {
  try {
    return execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim();
  } catch (error) {
    throw new PrivateServerError(`pg_config --bindir failed; pass binDir: ${(error as Error).message}`);
  }
}

/**
 * Starts a PostgreSQL cluster of its own (initdb in a temporary directory). When the tests run as root, the
 * cluster runs as the `postgres` system user, since PostgreSQL refuses to run as root.
 */
export async function startPrivatePostgres(options: PrivatePostgresOptions = {}): Promise<PrivatePostgres> {
  const binDir = options.binDir ?? postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), "gyre-pg-"));
  const dataDir = join(dir, "data");
  const socketDir = join(dir, "socket");
  const logFile = join(dir, "postgres.log");
  mkdirSync(socketDir);
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? systemUser("postgres") : undefined;
  if (owner) {
    chownSync(dir, owner.uid, owner.gid);
    chownSync(socketDir, owner.uid, owner.gid);
  }
  chmodSync(dir, 0o755);
  const run = (command: string, args: string[]) => {
    const [file, argv] = asRoot
      ? ["runuser", ["-u", "postgres", "--", join(binDir, command), ...args]]
      : [join(binDir, command), args];
    try {
      return execFileSync(file as string, argv as string[], { encoding: "utf8", stdio: "pipe" });
    } catch (error) {
      const failed = error as Error & { stderr?: string; stdout?: string };
      throw new PrivateServerError(
        `${command} ${args.join(" ")} failed: ${failed.stderr || failed.stdout || failed.message}`,
      );
    }
  };

  const initArgs = ["-D", dataDir, "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale", "C.UTF-8"];
  if (options.password) {
    const pwfile = join(dir, "pwfile");
    writeFileSync(pwfile, `${options.password}\n`, { mode: 0o600 });
    if (owner) chownSync(pwfile, owner.uid, owner.gid);
    initArgs.push("--auth-host=scram-sha-256", "--auth-local=trust", `--pwfile=${pwfile}`);
  } else {
    initArgs.push("--auth=trust");
  }
  run("initdb", initArgs);
  const serverOptions = `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const start = async () => {
    run("pg_ctl", ["-D", dataDir, "-l", logFile, "-o", serverOptions, "-w", "-t", "60", "start"]);
  };
  const stop = async (mode: "smart" | "fast" | "immediate" = "fast") => {
    run("pg_ctl", ["-D", dataDir, "-m", mode, "-w", "-t", "60", "stop"]);
  };
  await start();
  const credentials = options.password ? `postgres:${encodeURIComponent(options.password)}` : "postgres";
  const output = () => {
    try {
      return execFileSync("cat", [logFile], { encoding: "utf8" });
    } catch {
      return "";
    }
  };
  return {
    url: `postgres://${credentials}@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    output,
    stop,
    restart: async ({ mode = "fast", downMs = 0 } = {}) => {
      await stop(mode);
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      await start();
    },
    destroy: async () => {
      try {
        await stop("immediate");
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function systemUser(name: string): { uid: number; gid: number } {
  try {
    const uid = Number(execFileSync("id", ["-u", name], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", name], { encoding: "utf8" }).trim());
    return { uid, gid };
  } catch {
    throw new PrivateServerError(
      `tests run as root, and PostgreSQL needs a non-root user; system user ${name} not found`,
    );
  }
}
