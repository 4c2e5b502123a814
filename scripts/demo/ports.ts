import { createServer } from "node:net";
import type { ServiceName } from "@gyre/service";

/** A service's fixed ports: what operators and the `gyre` CLI expect by default. */
export interface ServicePorts {
  metrics: number;
  grpc?: { port: number; portVariable: string; addressVariable: string };
}

const grpcPort = (service: string, port: number) => {
  const prefix = service.toUpperCase().replaceAll("-", "_");
  return { port, portVariable: `${prefix}_GRPC_PORT`, addressVariable: `${prefix}_GRPC_ADDR` };
};

export const DEFAULT_PORTS: Record<ServiceName, ServicePorts> = {
  ingestion: { metrics: 9461 },
  validation: { metrics: 9462 },
  "feature-store": { metrics: 9463, grpc: grpcPort("feature-store", 50052) },
  trainer: { metrics: 9464, grpc: grpcPort("trainer", 50054) },
  registry: { metrics: 9465, grpc: grpcPort("registry", 50053) },
  serving: { metrics: 9466, grpc: grpcPort("serving", 8001) },
  monitoring: { metrics: 9467, grpc: grpcPort("monitoring", 50055) },
};

/**
 * Every service's gRPC port at its default, and where each is reached (`<SERVICE>_GRPC_ADDR`): one environment for
 * all services, so a port or address an operator's shell sets cannot split the stack.
 */
export function grpcEnv(services: readonly ServiceName[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of services) {
    const grpc = DEFAULT_PORTS[name].grpc;
    if (!grpc) continue;
    env[grpc.portVariable] = String(grpc.port);
    env[grpc.addressVariable] = `127.0.0.1:${grpc.port}`;
  }
  return env;
}

/** A service's own metrics port (one variable name, a different port per service). */
export function portEnvOf(name: ServiceName): NodeJS.ProcessEnv {
  return { METRICS_PORT: String(DEFAULT_PORTS[name].metrics) };
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    // No host: the wildcard address, as the services bind, so a listener on any local address counts as taken.
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
}

/** Every default port that something already listens on, named with its service and use. */
export async function takenPorts(services: readonly ServiceName[]): Promise<string[]> {
  const wanted = services.flatMap((name) => {
    const { metrics, grpc } = DEFAULT_PORTS[name];
    return [
      { port: metrics, what: `${name} metrics and health` },
      ...(grpc ? [{ port: grpc.port, what: `${name} gRPC` }] : []),
    ];
  });
  const free = await Promise.all(wanted.map(({ port }) => isFree(port)));
  return wanted.filter((_, index) => !free[index]).map(({ port, what }) => `${port} (${what})`);
}
