import pg from "pg";
import { parseSchemaName } from "./schema-name.ts";
import { asDatabaseUnavailable } from "./unavailable.ts";

export interface PoolOptions {
  connectionString: string;
  /** The service's own schema; it becomes the connections' `search_path`. */
  schema: string;
  max?: number;
  applicationName?: string;
  /** Called for errors on idle or checked-out connections (server restart, network loss) instead of crashing. */
  onError?: (error: Error) => void;
}

const CONNECTION_TIMEOUT_MS = 10_000;

function logToStderr(error: Error): void {
  process.stderr.write(
    `${JSON.stringify({ level: "error", event: "pg.pool.error", err: { name: error.name, message: error.message } })}\n`,
  );
}

/** A pg.Pool whose every connection starts with `search_path` set to the service's schema. */
export function createPool(options: PoolOptions): pg.Pool {
  const schema = parseSchemaName(options.schema);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName,
    connectionTimeoutMillis: CONNECTION_TIMEOUT_MS,
    // Sent in the startup packet, so no connection ever runs a query with another search_path.
    options: `-c search_path=${schema}`,
  });
  const onError = options.onError ?? logToStderr;
  // An idle client's error reaches both its own listener and the pool's; report it once.
  const reported = new WeakSet<Error>();
  const report = (error: Error): void => {
    if (reported.has(error)) return;
    reported.add(error);
    onError(error);
  };
  pool.on("error", report);
  // pg-pool removes its idle listener while a client is checked out; without this one an error then would crash.
  pool.on("connect", (client) => client.on("error", report));
  return pool;
}

/** Runs `SELECT 1`; throws DatabaseUnavailableError (naming host:port) when PostgreSQL cannot be reached. */
export async function checkDatabase(pool: pg.Pool): Promise<void> {
  try {
    await pool.query("SELECT 1");
  } catch (error) {
    throw asDatabaseUnavailable(error, pool.options.connectionString ?? "");
  }
}
