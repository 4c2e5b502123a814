export { dropSchema, type MigrateOptions, migrate } from "./migrate.ts";
export { checkDatabase, createPool, type PoolOptions } from "./pool.ts";
export { InvalidSchemaNameError, parseSchemaName } from "./schema-name.ts";
export { withTransaction } from "./transaction.ts";
export { DatabaseUnavailableError, databaseAddress } from "./unavailable.ts";
