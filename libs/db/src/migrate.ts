import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { runner } from "node-pg-migrate";
import pg from "pg";
import { parseSchemaName } from "./schema-name.ts";
import { asDatabaseUnavailable } from "./unavailable.ts";

export interface MigrateOptions {
  connectionString: string;
  /** The service's schema; created if missing, and home of its `pgmigrations` table. */
  schema: string;
  /** The service's migrations folder: `.sql` files with `-- Up Migration` / `-- Down Migration` markers (or `.ts`). */
  dir: string;
  log?: (message: string) => void;
}

const MIGRATIONS_TABLE = "pgmigrations";

/**
 * One advisory lock per schema: replicas of one service queue behind each other, while
 * different services (the default would be one lock id for every node-pg-migrate user) don't.
 */
function migrationLockId(schema: string): number {
  return createHash("sha256").update(`gyre.migrate.${schema}`).digest().readUIntBE(0, 6);
}

/** Applies the pending migrations in `dir` to `schema`; safe to re-run and to run from many replicas at once. */
export async function migrate(options: MigrateOptions): Promise<string[]> {
  const schema = parseSchemaName(options.schema);
  try {
    const applied = await runner({
      databaseUrl: options.connectionString,
      dir: resolve(options.dir),
      schema,
      createSchema: true,
      migrationsSchema: schema,
      migrationsTable: MIGRATIONS_TABLE,
      direction: "up",
      count: Number.POSITIVE_INFINITY,
      singleTransaction: true,
      lockValue: migrationLockId(schema),
      // node-pg-migrate's default is "fail": a second replica starting at the same time would exit with an error.
      advisoryLockMode: "wait",
      log: options.log ?? (() => {}),
    });
    return applied.map((migration) => migration.name);
  } catch (error) {
    throw asDatabaseUnavailable(error, options.connectionString);
  }
}

/** Drops the schema and everything in it; for tests and cleanup. */
export async function dropSchema(connectionString: string, schema: string): Promise<void> {
  const name = parseSchemaName(schema);
  const client = new pg.Client({ connectionString });
  try {
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
  } catch (error) {
    throw asDatabaseUnavailable(error, connectionString);
  } finally {
    await client.end().catch(() => {});
  }
}
