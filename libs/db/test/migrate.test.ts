import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { infraFromEnv, uniqueId } from "@gyre/testkit";
import pg from "pg";
import { DatabaseUnavailableError, dropSchema, InvalidSchemaNameError, migrate } from "../src/index.ts";

const { databaseUrl } = infraFromEnv();

const CREATE_TABLE = `-- Up Migration
CREATE TABLE batches (id text PRIMARY KEY, dataset text NOT NULL, received_at timestamptz NOT NULL DEFAULT now());
-- Down Migration
DROP TABLE batches;
`;
const CREATE_INDEX = `-- Up Migration
CREATE INDEX batches_dataset_idx ON batches (dataset);
-- Down Migration
DROP INDEX batches_dataset_idx;
`;
const CREATE_TABLE_TS = `import type { MigrationBuilder } from "node-pg-migrate";
export async function up(pgm: MigrationBuilder): Promise<void> {
  pgm.createTable("runs", { id: "id", seed: { type: "integer", notNull: true } });
}
`;

describe("migrate", () => {
  const schemas: string[] = [];
  let admin: pg.Client;
  let dir: string;

  const newSchema = (): string => {
    const schema = uniqueId("db_");
    schemas.push(schema);
    return schema;
  };
  const appliedCount = async (schema: string): Promise<number> => {
    const { rows } = await admin.query(`SELECT count(*)::int AS n FROM ${schema}.pgmigrations`);
    return rows[0].n;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "gyre-migrations-"));
    await writeFile(join(dir, "001_create_batches.sql"), CREATE_TABLE);
    await writeFile(join(dir, "002_index_batches_dataset.sql"), CREATE_INDEX);
    admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
  });

  after(async () => {
    for (const schema of schemas) await dropSchema(databaseUrl, schema);
    await admin.end();
    await rm(dir, { recursive: true, force: true });
  });

  test("applies the migrations once and a re-run applies nothing", async () => {
    const schema = newSchema();
    assert.deepEqual(await migrate({ connectionString: databaseUrl, schema, dir }), [
      "001_create_batches",
      "002_index_batches_dataset",
    ]);
    assert.deepEqual(await migrate({ connectionString: databaseUrl, schema, dir }), []);

    const tables = await admin.query("SELECT table_schema FROM information_schema.tables WHERE table_name = 'batches'");
    assert.ok(tables.rows.some((row) => row.table_schema === schema));
    const index = await admin.query("SELECT 1 FROM pg_indexes WHERE schemaname = $1 AND indexname = $2", [
      schema,
      "batches_dataset_idx",
    ]);
    assert.equal(index.rowCount, 1);
    assert.equal(await appliedCount(schema), 2);
  });

  test("two replicas migrating a new schema at once both succeed and apply each migration once", async () => {
    const schema = newSchema();
    const [first, second] = await Promise.all([
      migrate({ connectionString: databaseUrl, schema, dir }),
      migrate({ connectionString: databaseUrl, schema, dir }),
    ]);
    assert.equal(first.length + second.length, 2);
    assert.equal(await appliedCount(schema), 2);
  });

  test("loads a TypeScript migration", async () => {
    const tsDir = await mkdtemp(join(tmpdir(), "gyre-migrations-ts-"));
    try {
      await writeFile(join(tsDir, "001_create_runs.ts"), CREATE_TABLE_TS);
      const schema = newSchema();
      assert.deepEqual(await migrate({ connectionString: databaseUrl, schema, dir: tsDir }), ["001_create_runs"]);
      const { rowCount } = await admin.query(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'runs'",
        [schema],
      );
      assert.equal(rowCount, 1);
    } finally {
      await rm(tsDir, { recursive: true, force: true });
    }
  });

  test("rejects a schema name with a dash, naming it", async () => {
    await assert.rejects(migrate({ connectionString: databaseUrl, schema: "feature-store", dir }), (error) => {
      assert.ok(error instanceof InvalidSchemaNameError);
      assert.match(error.message, /"feature-store"/);
      return true;
    });
  });

  test("a refused connection gives DatabaseUnavailableError naming host and port but not the password", async () => {
    await assert.rejects(
      migrate({ connectionString: "postgres://gyre:s3cret-pw@127.0.0.1:1/gyre", schema: newSchema(), dir }),
      (error) => {
        assert.ok(error instanceof DatabaseUnavailableError);
        assert.match(error.message, /127\.0\.0\.1:1\b/);
        assert.match(error.message, /pg_ctlcluster|deploy\/local\/up\.sh/);
        assert.doesNotMatch(error.message, /s3cret-pw/);
        return true;
      },
    );
  });
});
