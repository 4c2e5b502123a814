import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The nats-server binary for tests that must stop and start a server of their own; undefined when there is none. */
export function natsServerBinary(): string | undefined {
  const candidates = [process.env.NATS_SERVER_BIN, "/usr/sbin/nats-server", "/usr/local/bin/nats-server"];
  return candidates.find((path): path is string => Boolean(path) && existsSync(path as string));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error(`no TCP port from ${String(address)}`);
  return address.port;
}

async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

/** A JetStream nats-server owned by one test, on its own port and store, that the test can restart. */
export class PrivateNatsServer {
  #process: ChildProcess | undefined;

  private constructor(
    readonly binary: string,
    readonly port: number,
    readonly storeDir: string,
  ) {}

  static async start(binary: string): Promise<PrivateNatsServer> {
    const server = new PrivateNatsServer(binary, await freePort(), await mkdtemp(join(tmpdir(), "gyre-bus-nats-")));
    await server.resume();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async resume(): Promise<void> {
    const args = ["-a", "127.0.0.1", "-p", String(this.port), "-js", "-sd", this.storeDir];
    this.#process = spawn(this.binary, args, { stdio: "ignore" });
    const deadline = Date.now() + 10_000;
    while (!(await accepts(this.port))) {
      if (Date.now() > deadline) throw new Error(`nats-server on port ${this.port} did not start within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async halt(): Promise<void> {
    const child = this.#process;
    this.#process = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }

  async destroy(): Promise<void> {
    await this.halt();
    await rm(this.storeDir, { recursive: true, force: true });
  }
}
