import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, from this file's place in tools/cli/src. */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** What `bash deploy/local/up.sh` writes: the endpoints of the local infrastructure. */
export const LOCAL_ENV_FILE = join(REPO_ROOT, "deploy/local/.run/env");

import { SERVICE_ENDPOINTS } from "@gyre/config/endpoints";

export { SERVICE_ENDPOINTS };
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
