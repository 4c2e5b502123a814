import { maskUrlCredentials } from "@gyre/config";

const CENSORED = "[Redacted]";

/** Field names whose values are credentials, wherever they appear at the top level or one level down. */
const CREDENTIAL_KEYS = [
  "password",
  "passwd",
  "secret",
  "secretKey",
  "secret_key",
  "secretAccessKey",
  "token",
  "accessToken",
  "refreshToken",
  "apiKey",
  "api_key",
  "privateKey",
  "authorization",
  "cookie",
  "NATS_PASSWORD",
  "NATS_TOKEN",
  "S3_SECRET_KEY",
];

/** Fields that hold connection URLs: only the password inside them is hidden. */
const URL_KEYS = ["DATABASE_URL", "databaseUrl", "connectionString", "NATS_URL", "url"];

function bothLevels(keys: readonly string[]): string[] {
  return keys.flatMap((key) => [key, `*.${key}`]);
}

export const REDACT_PATHS = [
  ...bothLevels(CREDENTIAL_KEYS),
  ...bothLevels(URL_KEYS),
  'req.headers["x-api-key"]',
  "req.headers.authorization",
  "req.headers.cookie",
  'res.headers["set-cookie"]',
];

const URL_KEY_SET = new Set(URL_KEYS);

/** URLs keep everything but their password; every other redacted value is replaced whole. */
export function censor(value: unknown, path: string[]): unknown {
  const key = path.at(-1) ?? "";
  if (URL_KEY_SET.has(key)) return typeof value === "string" ? maskUrlCredentials(value) : value;
  return CENSORED;
}
