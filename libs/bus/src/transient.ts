/**
 * Failures of the infrastructure rather than of the event: PostgreSQL restarting or unreachable, NATS reconnecting,
 * S3 not answering. Retrying the same event later succeeds, so a consumer retries these in place instead of spending
 * the event's deliveries on them and dead-lettering it.
 */

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);

/** PostgreSQL SQLSTATEs of a server going away or busy: admin/crash shutdown, cannot connect now, too many connections. */
const POSTGRES_CODES = new Set(["57P01", "57P02", "57P03", "53300", "40001", "40P01"]);

const TRANSIENT_NAMES = new Set([
  "DatabaseUnavailableError",
  // nats.js
  "TimeoutError",
  "ConnectionError",
  "NoRespondersError",
  // AWS SDK (S3)
  "NetworkingError",
  "RequestTimeout",
  "RequestTimeoutException",
  "ServiceUnavailable",
  "SlowDown",
  "InternalError",
]);

/** What node-postgres says when the server closes or loses a connection. */
const TRANSIENT_MESSAGES = [
  /connection terminated/i,
  /terminating connection/i,
  /client has encountered a connection error/i,
  /the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)/i,
  /timeout exceeded when trying to connect/i,
  /connection (is )?closed/i,
  /\bdisconnect(ed)?\b/i,
];

function isTransientOne(error: object): boolean {
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code === "string") {
    if (NETWORK_CODES.has(code) || POSTGRES_CODES.has(code)) return true;
    // SQLSTATE class 08: connection exception
    if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  if (typeof name === "string" && TRANSIENT_NAMES.has(name)) return true;
  const status = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode;
  if (typeof status === "number" && (status === 503 || status === 502 || status === 504)) return true;
  return typeof message === "string" && TRANSIENT_MESSAGES.some((pattern) => pattern.test(message));
}

/** True when the error, or one it wraps (`cause`, AggregateError), says the infrastructure was unavailable. */
export function isTransientError(error: unknown, depth = 0): boolean {
  if (typeof error !== "object" || error === null || depth > 5) return false;
  if (isTransientOne(error)) return true;
  if (error instanceof AggregateError && error.errors.some((inner) => isTransientError(inner, depth + 1))) return true;
  return isTransientError((error as { cause?: unknown }).cause, depth + 1);
}
