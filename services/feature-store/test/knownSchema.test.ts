import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type BatchToWrite, writeBatch } from "../src/batchWriter.ts";
import { tableLayout } from "../src/layout.ts";
import { migratedPool } from "./harness.ts";
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
  const db = migratedPool();

  test("records each spec revision the batches were written under", async () => {
    await writeBatch(db(), batch("one", 1));
    await writeBatch(db(), batch("two", 2));
    await writeBatch(db(), batch("three", 3, 2));
    const { rows } = await db().query<{ spec_revision: number }>(
      "SELECT spec_revision FROM dataset_specs ORDER BY spec_revision",
    );
    assert.deepEqual(
      rows.map((row) => row.spec_revision),
      [1, 2],
    );
  });

  test("tables dropped underneath fail one write, and its retry creates them again", async () => {
    await db().query(`DROP TABLE ${layout.offlineTable}, ${layout.onlineTable}`);
    await assert.rejects(writeBatch(db(), batch("four", 4)), /does not exist/);
    const written = await writeBatch(db(), batch("four", 4));
    assert.equal(written.created, true);
    const { rows } = await db().query<{ count: string }>(`SELECT count(*) FROM ${layout.offlineTable}`);
    assert.equal(Number(rows[0]?.count), 1);
  });
});
