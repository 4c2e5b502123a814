export { REPO_ROOT, SERVICES, type ServiceName, serviceCommand, spawnService } from "./launch.ts";
export { natsTlsOptions } from "./nats-tls.ts";
export { runService, type ServiceContext, type ServiceDefinition, serviceSchema } from "./run.ts";
