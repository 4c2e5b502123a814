export {
  type LaunchOptions,
  REPO_ROOT,
  SERVICES,
  type ServiceName,
  serviceCommand,
  spawnService,
} from "./launch.ts";
export {
  type NatsAuthEnv,
  type NatsAuthOptions,
  type NatsConnectEnv,
  NatsCredentialsError,
  natsAuthOptions,
  natsConnectOptions,
} from "./nats-auth.ts";
export {
  type NatsCredential,
  type NatsCredentials,
  type NatsProducerLogin,
  natsAuthorizationConfig,
  natsPasswordVariable,
} from "./nats-authorization.ts";
export {
  isNatsAccount,
  NATS_ACCOUNTS,
  type NatsAccount,
  type NatsPermissions,
  type NatsProducer,
  natsInboxPrefix,
  natsPermissions,
  natsProducerPermissions,
  natsProducerUser,
  parseNatsProducers,
} from "./nats-permissions.ts";
export { natsTlsOptions } from "./nats-tls.ts";
export { runService, type ServiceContext, type ServiceDefinition, serviceSchema } from "./run.ts";
