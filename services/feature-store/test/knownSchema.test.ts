import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { createPool, dropSchema, migrate } from "@gyre/db";
import { infraFromEnv, uniqueId } from "@gyre/testkit";
import type pg from "pg";
import { type BatchToWrite, writeBatch } from "../src/batchWriter.ts";
import { tableLayout } from "../src/layout.ts";
import { specWith } from "./weather.ts";

// writeBatch checks the catalog and records the spec revision only until a write of that layout and revision has
// committed; these tests make sure that shortcut never skips what is missing.

const spec = specWith({
  features: [
    { name: "time", type: "timestamp" },
    { name: "temp", type: "numeric" },
  ],
  label: { name: "target", type: "numeric" },
});
const layout = tableLayout(spec);

function batch(id: string, hour: number, specRevision = 1): BatchToWrite {
  const time = new Date(Date.UTC(2024, 0, 1, hour)).toISOString();
  return {
    batchId: id,
    sha256: "0".repeat(64),
    specRevision,
    rowsKey: `validated/sensors/${id}.ndjson`,
    spec,
    layout,
    openRows: () => [[{ time, temp: hour, target: 1 }]],
  };
}

describe("writeBatch keeps what committed writes made sure of, and no more", () => {
  const infra = infraFromEnv();
  const schema = `fs_${uniqueId()}`;
  let pool: pg.Pool;

  before(async () => {
    await migrate({
      connectionString: infra.databaseUrl,
      schema,
      dir: fileURLToPath(new URL("../migrations", import.meta.url)),
    });
    pool = createPool({ connectionString: infra.databaseUrl, schema });
  });
  after(async () => {
    await pool?.end();
    await dropSchema(infra.databaseUrl, schema);
  });

  test("records each spec revision the batches were written under", async () => {
    await writeBatch(pool, batch("one", 1));
    await writeBatch(pool, batch("two", 2));
    await writeBatch(pool, batch("three", 3, 2));
    const { rows } = await pool.query<{ spec_revision: number }>(
      "SELECT spec_revision FROM dataset_specs ORDER BY spec_revision",
    );
    assert.deepEqual(
      rows.map((row) => row.spec_revision),
      [1, 2],
    );
  });

  test("tables dropped underneath fail one write, and its retry creates them again", async () => {
    await pool.query(`DROP TABLE ${layout.offlineTable}, ${layout.onlineTable}`);
    await assert.rejects(writeBatch(pool, batch("four", 4)), /does not exist/);
    const written = await writeBatch(pool, batch("four", 4));
    assert.equal(written.created, true);
    const { rows } = await pool.query<{ count: string }>(`SELECT count(*) FROM ${layout.offlineTable}`);
    assert.equal(Number(rows[0]?.count), 1);
  });
});
