import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { infraFromEnv, uniqueId } from "@gyre/testkit";
import type pg from "pg";
import {
  checkDatabase,
  createPool,
  DatabaseUnavailableError,
  dropSchema,
  InvalidSchemaNameError,
  withTransaction,
} from "../src/index.ts";

const { databaseUrl } = infraFromEnv();

describe("createPool and withTransaction", () => {
  const schema = uniqueId("db_");
  let pool: pg.Pool;

  before(async () => {
    pool = createPool({ connectionString: databaseUrl, schema, max: 2, applicationName: "gyre-db-test" });
    await pool.query(`CREATE SCHEMA ${schema}`);
    await pool.query("CREATE TABLE versions (version int PRIMARY KEY)");
  });

  after(async () => {
    await pool.end();
    await dropSchema(databaseUrl, schema);
  });

  test("connections resolve unqualified names in the service's schema", async () => {
    const { rows } = await pool.query("SELECT current_schema() AS schema, current_setting('application_name') AS app");
    assert.deepEqual(rows[0], { schema, app: "gyre-db-test" });
    const table = await pool.query("SELECT to_regclass('versions')::text AS name");
    assert.equal(table.rows[0].name, "versions");
  });

  test("commits what the work wrote and returns its result", async () => {
    const result = await withTransaction(pool, async (client) => {
      await client.query("INSERT INTO versions VALUES (1)");
      return "done";
    });
    assert.equal(result, "done");
    const { rowCount } = await pool.query("SELECT 1 FROM versions WHERE version = 1");
    assert.equal(rowCount, 1);
  });

  test("rolls back and rethrows when the work throws", async () => {
    const failure = new Error("promotion refused");
    await assert.rejects(
      withTransaction(pool, async (client) => {
        await client.query("INSERT INTO versions VALUES (2)");
        throw failure;
      }),
      (error) => error === failure,
    );
    const { rowCount } = await pool.query("SELECT 1 FROM versions WHERE version = 2");
    assert.equal(rowCount, 0);
    assert.equal(pool.idleCount + pool.waitingCount, pool.totalCount, "the connection went back to the pool");
  });

  test("a connection killed by the server is reported to onError and the process keeps running", async () => {
    const errors: Error[] = [];
    const watched = createPool({ connectionString: databaseUrl, schema, max: 1, onError: (e) => errors.push(e) });
    try {
      const { rows } = await watched.query("SELECT pg_backend_pid() AS pid");
      await pool.query("SELECT pg_terminate_backend($1)", [rows[0].pid]);
      for (let i = 0; i < 50 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(errors.length, 1);
      assert.match(errors[0]?.message ?? "", /terminat/i);
    } finally {
      await watched.end();
    }
  });

  test("rejects a schema name that is not a plain identifier", () => {
    assert.throws(() => createPool({ connectionString: databaseUrl, schema: "public; DROP" }), InvalidSchemaNameError);
  });

  test("a refused connection gives DatabaseUnavailableError naming 127.0.0.1:1", async () => {
    const refused = createPool({ connectionString: "postgres://postgres@127.0.0.1:1/gyre", schema });
    try {
      await assert.rejects(checkDatabase(refused), (error) => {
        assert.ok(error instanceof DatabaseUnavailableError);
        assert.match(error.message, /127\.0\.0\.1:1 /);
        return true;
      });
      await assert.rejects(
        withTransaction(refused, async () => {}),
        DatabaseUnavailableError,
      );
    } finally {
      await refused.end();
    }
  });
});
