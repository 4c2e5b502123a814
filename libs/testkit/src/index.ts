export { type Infra, InfraUnavailableError, infraFromEnv, uniqueId } from "./infra.ts";
export { type LogLine, type RunningService, serviceEnv, startService } from "./services.ts";
