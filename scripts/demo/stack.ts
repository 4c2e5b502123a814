import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { join } from "node:path";
import type { ServiceName } from "@gyre/service";
import { type RunningService, startService } from "@gyre/testkit";
import { portEnvOf } from "./ports.ts";

/** The seven services as child processes, each writing its JSON log lines to `<logDir>/<service>.log`. */
export class Stack {
  readonly services: RunningService[] = [];
  readonly #files: WriteStream[] = [];
  #starting: Promise<unknown> = Promise.resolve();
  #stopping = false;
  #stopped: Promise<void> | undefined;

  /** `onExit` hears of a service that exits while the stack is meant to run. */
  constructor(
    readonly logDir: string,
    private readonly onExit: (service: string, code: number | null) => void,
  ) {}

  /**
   * Starts every service at once and resolves when each has logged `service.started`; if one fails, stops the others
   * and rejects with its output. A service that comes up after `stop()` was called is stopped at once.
   */
  async start(names: readonly ServiceName[], env: NodeJS.ProcessEnv): Promise<void> {
    mkdirSync(this.logDir, { recursive: true });
    const starting = Promise.allSettled(
      names.map(async (name) => {
        const service = await startService(name, { ...env, ...portEnvOf(name) }, 60_000);
        if (this.#stopping) await service.stop(20_000);
        else this.#adopt(service);
      }),
    );
    this.#starting = starting;
    const failed = (await starting).find((result) => result.status === "rejected");
    if (failed) {
      await this.stop();
      throw failed.reason;
    }
  }

  logFile(service: string): string {
    return join(this.logDir, `${service}.log`);
  }

  #adopt(service: RunningService): void {
    const file = createWriteStream(this.logFile(service.name), { flags: "w" });
    this.#files.push(file);
    // What the service wrote before it was up was collected by startService; the rest streams to the file.
    for (const line of [...service.text, ...service.logs.map((entry) => JSON.stringify(entry))]) {
      file.write(`${line}\n`);
    }
    service.process.stdout?.on("data", (chunk: Buffer) => file.write(chunk));
    service.process.stderr?.on("data", (chunk: Buffer) => file.write(chunk));
    // startService keeps every parsed line; a stack that stays up for hours only needs the file.
    service.process.stdout?.on("data", () => service.logs.splice(0, Math.max(0, service.logs.length - 1000)));
    service.process.once("exit", (code) => {
      if (!this.#stopping) this.onExit(service.name, code);
    });
    this.services.push(service);
  }

  /** SIGTERM to every service, including those still starting; each drains and exits (SIGKILL after 20 s). */
  stop(): Promise<void> {
    this.#stopped ??= this.#stopAll();
    return this.#stopped;
  }

  async #stopAll(): Promise<void> {
    this.#stopping = true;
    await Promise.all(this.services.map((service) => service.stop(20_000)));
    await this.#starting;
    await Promise.all(this.#files.map((file) => new Promise((resolve) => file.end(resolve))));
  }
}
