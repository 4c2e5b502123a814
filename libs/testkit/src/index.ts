export { type Infra, InfraUnavailableError, infraFromEnv, uniqueId } from "./infra.ts";
