export { makeTestCertificates, type TestCertificates } from "./certificates.ts";
export { type Infra, InfraUnavailableError, infraFromEnv, uniqueId } from "./infra.ts";
export {
  freePort,
  type PrivateNats,
  type PrivateNatsOptions,
  type PrivatePostgres,
  type PrivatePostgresOptions,
  PrivateServerError,
  startPrivateNats,
  startPrivatePostgres,
} from "./private-servers.ts";
export {
  type ParquetWriteChoices,
  SEATTLE_WEATHER_CSV,
  type SeattleDay,
  seattleWeatherDays,
  seattleWeatherParquet,
} from "./seattleWeather.ts";
export {
  grpcAddressEnv,
  grpcAddressVariable,
  type LogLine,
  type RunningService,
  serviceEnv,
  startService,
} from "./services.ts";
