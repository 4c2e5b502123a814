export {
  boolean,
  duration,
  envField,
  type IntegerRange,
  integer,
  oneOf,
  parseDuration,
  port,
  text,
  url,
} from "./fields.ts";
export {
  databaseEnv,
  grpcTlsEnv,
  LOG_LEVELS,
  type LogLevel,
  namespaceEnv,
  natsEnv,
  opsEnv,
  s3Env,
  telemetryEnv,
} from "./fragments.ts";
export {
  ConfigError,
  type ConfigProblem,
  describeProblem,
  EX_CONFIG,
  loadConfig,
  loadConfigOrExit,
} from "./load.ts";
export {
  acceptsFile,
  FILE_SUFFIX,
  readSecretFiles,
  type SecretFileProblem,
  type SecretFilesResult,
} from "./secret-files.ts";
export {
  displayValue,
  isSecretName,
  MASK,
  maskUrlCredentials,
  maskUrlPasswords,
  secretValues,
  urlPassword,
} from "./secrets.ts";
