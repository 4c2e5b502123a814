import { parse } from "pg-connection-string";

const HOW_TO_START =
  "start PostgreSQL with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` or `bash deploy/local/up.sh`";

/** Network-level failures: the server is not there (yet), as opposed to a query or permission error. */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOENT", // unix socket path missing
  "57P03", // cannot_connect_now: the server is starting up or shutting down
]);

export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
  constructor(
    readonly address: string,
    readonly code: string,
    options?: ErrorOptions,
  ) {
    super(`PostgreSQL at ${address} is unavailable (${code}): ${HOW_TO_START}`, options);
  }
}

/** host:port of a connection string, without user or password. */
export function databaseAddress(connectionString: string): string {
  const { host, port } = parse(connectionString);
  return `${host ?? "localhost"}:${port ?? "5432"}`;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") return code;
  // net.connect with autoSelectFamily reports every address it tried in an AggregateError.
  if (error instanceof AggregateError) return errorCode(error.errors[0]);
  if (error instanceof Error && /connection timeout/i.test(error.message)) return "ETIMEDOUT";
  return undefined;
}

/** Turns a connection failure into a DatabaseUnavailableError; any other error comes back unchanged. */
export function asDatabaseUnavailable(error: unknown, connectionString: string): unknown {
  if (error instanceof DatabaseUnavailableError) return error;
  const code = errorCode(error);
  if (code === undefined || !UNAVAILABLE_CODES.has(code)) return error;
  return new DatabaseUnavailableError(databaseAddress(connectionString), code, { cause: error });
}
