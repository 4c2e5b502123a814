import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { serviceSchema } from "@gyre/service";
import pg from "pg";
import { type Loop, monthlyBatches, startLoop } from "./harness.ts";

const DATASET = "seattle-weather";

describe("data path: seattle-weather.csv in monthly batches, from data.arrived to features.updated", () => {
  let loop: Loop;
  let db: pg.Client;
  const batches = monthlyBatches("seattle-weather.csv");
  // Three corrupted rows in one month: validation must quarantine exactly these and keep the rest.
  const corrupted = batches[5];
  assert.ok(corrupted);
  const corruptedLines = corrupted.csv.split("\n");
  corruptedLines[3] = corruptedLines[3]?.replace(/,[a-z]+$/, ",hail") ?? "";
  corruptedLines[7] = corruptedLines[7]?.replace(/^([^,]*),[^,]*,/, "$1,NaN,") ?? "";
  corruptedLines[9] = corruptedLines[9]?.replace(/^([^,]*),([^,]*),[^,]*,/, "$1,$2,99.5,") ?? "";
  corrupted.csv = corruptedLines.join("\n");
  const sent = batches.reduce((sum, batch) => sum + batch.rows.length, 0);

  before(async () => {
    loop = await startLoop(["ingestion", "validation", "feature-store"]);
    db = new pg.Client({ connectionString: loop.infra.databaseUrl });
    await db.connect();
    await loop.applySpec("examples/seattle-weather.spec.yaml", DATASET);
    for (const batch of batches) await loop.publishArrived(DATASET, batch.key, batch.csv);
    // The same batch again, under its key: it must not be stored twice.
    const again = batches[0];
    assert.ok(again);
    await loop.publishArrived(DATASET, again.key, again.csv);
    await loop.waitFor("features.updated", batches.length, 180_000);
  });

  after(async () => {
    await db?.end();
    await loop?.close();
  });

  it("stores every sent row once: rows in the feature store plus quarantined rows equal rows sent", async () => {
    const offline = `"${serviceSchema(loop.namespace, "feature-store")}"."offline_${DATASET.replaceAll("-", "_")}"`;
    const stored = Number((await db.query(`select count(*)::int as n from ${offline}`)).rows[0].n);
    const distinct = Number(
      (await db.query(`select count(distinct (_batch_id, _row_index))::int as n from ${offline}`)).rows[0].n,
    );
    const quarantinedTable = `"${serviceSchema(loop.namespace, "validation")}".quarantined_rows`;
    const quarantined = Number((await db.query(`select count(*)::int as n from ${quarantinedTable}`)).rows[0].n);
    assert.equal(sent, 1461);
    assert.equal(quarantined, 3);
    assert.equal(stored, distinct);
    assert.equal(stored + quarantined, sent);
    assert.equal(loop.seen("data.ingested").length, batches.length);
  });

  it("records statistics that match values computed here from the raw rows", async () => {
    const month = batches[0];
    assert.ok(month);
    const temps = month.rows.map((row) => Number(row.temp_max));
    const mean = temps.reduce((a, b) => a + b, 0) / temps.length;
    const validated = loop.seen("data.validated").find((event) => {
      const data = event.data as { rowCount: number; statistics: Record<string, { mean?: number | null }> };
      return data.rowCount === month.rows.length && Math.abs((data.statistics.temp_max?.mean ?? 0) - mean) < 1e-9;
    });
    assert.ok(validated, `a data.validated event with temp_max mean ${mean}`);
    const statistics = (validated.data as { statistics: Record<string, { min?: number; max?: number }> }).statistics;
    assert.equal(statistics.temp_max?.min, Math.min(...temps));
    assert.equal(statistics.temp_max?.max, Math.max(...temps));
  });

  it("quarantines exactly the corrupted rows with their reasons", async () => {
    const quarantinedTable = `"${serviceSchema(loop.namespace, "validation")}".quarantined_rows`;
    const rows = (await db.query(`select problems::text as problems from ${quarantinedTable}`)).rows;
    const reasons = rows.map((row) => String(row.problems)).join("\n");
    assert.match(reasons, /hail/);
    assert.match(reasons, /NaN|finite/i);
    assert.match(reasons, /99\.5/);
  });
});
