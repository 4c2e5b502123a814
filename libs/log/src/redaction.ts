import { maskUrlCredentials, maskUrlPasswords } from "@gyre/config";

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
  // nats.js connect options and nkey seeds
  "pass",
  "seed",
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

/** Shorter values are not scrubbed: replacing every "ab" in every line would make the logs unreadable. */
export const MIN_SCRUBBED_LENGTH = 4;

/** How a secret can appear inside a JSON log line: as written, JSON-escaped, percent-encoded. Longest first. */
export function secretForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SCRUBBED_LENGTH) continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(encodeURIComponent(secret));
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

/**
 * The last line of defence, applied to each serialized line after path redaction: masks passwords in URLs and
 * replaces every known secret value (see `secretForms`) with `[Redacted]`, wherever a message or stack put them.
 */
export function lineScrubber(secrets: readonly string[]): (line: string) => string {
  const forms = secretForms(secrets);
  return (line) => {
    let scrubbed = maskUrlPasswords(line);
    for (const form of forms) if (scrubbed.includes(form)) scrubbed = scrubbed.split(form).join(CENSORED);
    return scrubbed;
  };
}
