/**
 * The seven services for the fault test, each on ports chosen once (gRPC and metrics), so a service killed and
 * started again comes back where the others already look for it. Every exit that the test did not cause (its own
 * SIGKILL or the final stop) is recorded as a crash, with the service's last output.
 */

import { setTimeout as sleep } from "node:timers/promises";
import { SERVICES, type ServiceName } from "@gyre/service";
import { freePort, grpcAddressVariable, type LogLine, type RunningService, startService } from "@gyre/testkit";

const GRPC_SERVICES: readonly ServiceName[] = ["feature-store", "trainer", "registry", "serving", "monitoring"];

/** Services that call another's gRPC API at start, and so start after the others. */
const LATER: readonly ServiceName[] = ["trainer", "serving", "monitoring"];

export interface Crash {
  service: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  at: string;
  /** The last lines the process wrote. */
  output: string[];
}

export class ReliabilityStack {
  readonly running = new Map<ServiceName, RunningService>();
  readonly crashes: Crash[] = [];
  readonly starts = new Map<ServiceName, number>();
  /** Every process started, killed ones included, for counting their log events afterwards. */
  readonly processes: RunningService[] = [];
  readonly #ports = new Map<ServiceName, { grpc?: number; metrics: number }>();
  readonly #expectedExit = new Set<RunningService>();
  readonly #starting = new Set<Promise<RunningService>>();
  #env: NodeJS.ProcessEnv = {};
  #stopping = false;

  /** Picks every port and starts the services (gRPC servers the others need first). */
  async start(env: NodeJS.ProcessEnv): Promise<void> {
    const shared: NodeJS.ProcessEnv = { ...env };
    for (const name of SERVICES) {
      const ports = { metrics: await freePort(), ...(GRPC_SERVICES.includes(name) ? { grpc: await freePort() } : {}) };
      this.#ports.set(name, ports);
      if (ports.grpc !== undefined) {
        shared[`${name.toUpperCase().replaceAll("-", "_")}_GRPC_PORT`] = String(ports.grpc);
        shared[grpcAddressVariable(name)] = `127.0.0.1:${ports.grpc}`;
      }
    }
    this.#env = shared;
    for (const wave of [SERVICES.filter((name) => !LATER.includes(name)), LATER]) {
      const results = await Promise.allSettled(wave.map((name) => this.startOne(name)));
      const failed = results.find((result) => result.status === "rejected");
      if (failed) throw failed.reason;
    }
  }

  grpcPort(name: ServiceName): number {
    const port = this.#ports.get(name)?.grpc;
    if (port === undefined) throw new Error(`${name} has no gRPC port`);
    return port;
  }

  metricsPort(name: ServiceName): number {
    const port = this.#ports.get(name)?.metrics;
    if (port === undefined) throw new Error(`${name} has no metrics port`);
    return port;
  }

  pid(name: ServiceName): number {
    const pid = this.running.get(name)?.process.pid;
    if (pid === undefined) throw new Error(`${name} is not running`);
    return pid;
  }

  /** Starts the service; one that comes up after `stop()` was called is stopped at once. */
  startOne(name: ServiceName): Promise<RunningService> {
    const starting = this.#startOne(name).then(async (service) => {
      if (this.#stopping) await service.stop(20_000);
      return service;
    });
    this.#starting.add(starting);
    const forget = () => this.#starting.delete(starting);
    starting.then(forget, forget);
    return starting;
  }

  async #startOne(name: ServiceName): Promise<RunningService> {
    const started = performance.now();
    const service = await startService(name, { ...this.#env, METRICS_PORT: String(this.metricsPort(name)) }, 120_000);
    this.starts.set(name, performance.now() - started);
    this.running.set(name, service);
    this.processes.push(service);
    // startService keeps every parsed line; the test needs only the recent ones (crash reports, grpc.listening).
    service.process.stdout?.on("data", () => {
      if (service.logs.length > 20_000) service.logs.splice(0, service.logs.length - 10_000);
    });
    service.process.once("exit", (code, signal) => {
      if (this.#expectedExit.has(service) || this.#stopping) return;
      this.crashes.push({
        service: name,
        code,
        signal,
        at: new Date().toISOString(),
        output: [...service.text.slice(-20), ...service.logs.slice(-10).map((line) => JSON.stringify(line))],
      });
      // as a supervisor would: the crash is counted, and the loop gets its service back
      if (this.running.get(name) === service) this.running.delete(name);
      void this.startOne(name).catch(() => undefined);
    });
    return service;
  }

  /**
   * The first log line of the service, written after `since`, that matches; undefined after `timeoutMs`. Follows the
   * service across restarts.
   */
  async nextLog(
    name: ServiceName,
    predicate: (line: LogLine) => boolean,
    since: Date,
    timeoutMs: number,
  ): Promise<LogLine | undefined> {
    const after = since.toISOString();
    const end = performance.now() + timeoutMs;
    while (performance.now() < end) {
      const logs = this.running.get(name)?.logs ?? [];
      for (let index = logs.length - 1; index >= 0; index--) {
        const line = logs[index] as LogLine;
        if (typeof line.time !== "string" || line.time <= after) break;
        if (predicate(line)) return line;
      }
      await sleep(5);
    }
    return undefined;
  }

  /** SIGKILL (the test's own fault, not a crash), then the same service again on the same ports. */
  async killAndRestart(name: ServiceName): Promise<{ downMs: number }> {
    const service = this.running.get(name);
    if (!service) throw new Error(`${name} is not running`);
    const killed = performance.now();
    this.#expectedExit.add(service);
    await service.kill();
    this.running.delete(name);
    await this.startOne(name);
    return { downMs: performance.now() - killed };
  }

  /** How often each of the given log events was written, over every process of every service. */
  countEvents(events: readonly string[]): Record<string, number> {
    const counts: Record<string, number> = Object.fromEntries(events.map((event) => [event, 0]));
    for (const service of this.processes) {
      for (const line of service.logs) {
        if (typeof line.event === "string" && line.event in counts) counts[line.event] = (counts[line.event] ?? 0) + 1;
      }
    }
    return counts;
  }

  /** SIGTERM to every service (each drains), SIGKILL after 20 s. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await Promise.all([...this.running.values()].map((service) => service.stop(20_000)));
    // a service being started (a restart after a kill or a crash) is stopped as soon as it is up
    await Promise.allSettled([...this.#starting]);
    this.running.clear();
  }
}
