import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, SERVICES, type ServiceName } from "@gyre/service";

/** The ports a service listens on by default, as its src/main.ts declares them. */
export interface ServicePorts {
  service: ServiceName;
  metricsPort: number;
  /** The `<NAME>_GRPC_PORT` variable and its default, for the services that serve gRPC. */
  grpc?: { variable: string; port: number };
}

/**
 * Reads each service's defaults from its entry file, so the deployment files are checked against the code rather
 * than against a second copy of the numbers: `defaultMetricsPort: 9461` and `FOO_GRPC_PORT: port().default(50052)`.
 */
export function servicePorts(root = REPO_ROOT): ServicePorts[] {
  return SERVICES.map((service) => {
    const file = join(root, "services", service, "src/main.ts");
    const source = readFileSync(file, "utf8");
    const metrics = /defaultMetricsPort:\s*(\d+)/.exec(source);
    if (!metrics?.[1]) throw new Error(`${file}: no defaultMetricsPort found`);
    const grpc = /\b([A-Z_]+_GRPC_PORT):\s*port\(\)\.default\((\d+)\)/.exec(source);
    return {
      service,
      metricsPort: Number(metrics[1]),
      ...(grpc?.[1] && grpc[2] ? { grpc: { variable: grpc[1], port: Number(grpc[2]) } } : {}),
    };
  });
}

/** `feature-store` → `FEATURE_STORE`: the prefix of the service's own variables. */
export function variablePrefix(service: string): string {
  return service.toUpperCase().replaceAll("-", "_");
}
