/**
 * The seven services in loop order, with the ports their addresses default to (those of `gyre up` and the demo):
 * one table for every tool that reaches them (the CLI, the console). Free of imports, so a fast-starting tool can
 * read it through `@gyre/config/endpoints`.
 */
export const SERVICE_ENDPOINTS = [
  { service: "ingestion", metricsPort: 9461 },
  { service: "validation", metricsPort: 9462 },
  { service: "feature-store", metricsPort: 9463, grpcPort: 50052 },
  { service: "trainer", metricsPort: 9464, grpcPort: 50054 },
  { service: "registry", metricsPort: 9465, grpcPort: 50053 },
  { service: "serving", metricsPort: 9466, grpcPort: 8001 },
  { service: "monitoring", metricsPort: 9467, grpcPort: 50055 },
] as const;
