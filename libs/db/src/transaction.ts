import type pg from "pg";
import { asDatabaseUnavailable } from "./unavailable.ts";

/** Runs `work` inside BEGIN/COMMIT on one connection; rolls back and rethrows if it throws. */
export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw asDatabaseUnavailable(error, pool.options.connectionString ?? "");
  }
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    client.release();
    return result;
  } catch (error) {
    try {
      await client.query("ROLLBACK");
      client.release();
    } catch (rollbackError) {
      // The connection is in an unknown state: destroy it rather than return it to the pool.
      client.release(rollbackError instanceof Error ? rollbackError : true);
    }
    throw error;
  }
}
