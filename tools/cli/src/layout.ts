import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, from this file's place in tools/cli/src. */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** What `bash deploy/local/up.sh` writes: the endpoints of the local infrastructure. */
export const LOCAL_ENV_FILE = join(REPO_ROOT, "deploy/local/.run/env");

/** The seven services, in loop order, with the ports their addresses default to. */
export const SERVICE_ENDPOINTS = [
  { service: "ingestion", metricsPort: 9461 },
  { service: "validation", metricsPort: 9462 },
  { service: "feature-store", metricsPort: 9463, grpcPort: 50052 },
  { service: "trainer", metricsPort: 9464, grpcPort: 50054 },
  { service: "registry", metricsPort: 9465, grpcPort: 50053 },
  { service: "serving", metricsPort: 9466, grpcPort: 8001 },
  { service: "monitoring", metricsPort: 9467, grpcPort: 50055 },
] as const;
export type ServiceName = (typeof SERVICE_ENDPOINTS)[number]["service"];
export type GrpcServiceName = Extract<(typeof SERVICE_ENDPOINTS)[number], { grpcPort: number }>["service"];

/** `REGISTRY_GRPC_ADDR`, `FEATURE_STORE_GRPC_ADDR`, ...: where the CLI reaches a service's gRPC endpoint. */
export function grpcAddressVariable(service: string): string {
  return `${service.toUpperCase().replaceAll("-", "_")}_GRPC_ADDR`;
}

/** `INGESTION_METRICS_ADDR`, ...: where `gyre status` asks a service for /healthz and /readyz. */
export function metricsAddressVariable(service: string): string {
  return `${service.toUpperCase().replaceAll("-", "_")}_METRICS_ADDR`;
}
