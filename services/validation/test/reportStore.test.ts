import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { createPool, dropSchema, migrate } from "@gyre/db";
import { infraFromEnv, uniqueId } from "@gyre/testkit";
import type pg from "pg";
import type { QuarantinedRow } from "../src/report.ts";
import { getQuarantinedRows, getReport, listReports } from "../src/reportQueries.ts";
import { type NewReport, saveReport } from "../src/reportStore.ts";

const databaseUrl = infraFromEnv().databaseUrl;
const schema = `${uniqueId("valstore")}_validation`;
let pool: pg.Pool;

before(async () => {
  const dir = fileURLToPath(new URL("../migrations", import.meta.url));
  await migrate({ connectionString: databaseUrl, schema, dir });
  // Migrations are safe to re-run.
  assert.deepEqual(await migrate({ connectionString: databaseUrl, schema, dir }), []);
  pool = createPool({ connectionString: databaseUrl, schema });
});
after(async () => {
  await pool.end();
  await dropSchema(databaseUrl, schema);
});

function report(batchId: string, overrides: Partial<NewReport> = {}): NewReport {
  return {
    batchId,
    dataset: "weather",
    sha256: "b".repeat(64),
    specRevision: 2,
    decision: "accept",
    reason: "all 3 rows are valid",
    rowCount: 3,
    validRows: 3,
    invalidRows: 0,
    statistics: { wind: { kind: "numeric", count: 3, nullCount: 0, nullShare: 0, mean: 2, min: 1, max: 3 } },
    anomalies: [],
    notes: [],
    reportKey: `reports/weather/${batchId}.json`,
    rowsKey: `validated/weather/${batchId}.ndjson`,
    ...overrides,
  };
}

const badRow = (row: number, wind: string): QuarantinedRow => ({
  row,
  raw: { wind },
  problems: [{ row, column: "wind", kind: "type", value: wind, reason: `wind "${wind}": expected a number` }],
});

describe("saveReport", () => {
  test("stores a report with its quarantined rows, and a second save of the batch writes nothing", async () => {
    const first = await saveReport(pool, report("b-twice", { validRows: 1, invalidRows: 2 }), [
      badRow(0, "x"),
      badRow(2, "y"),
    ]);
    assert.equal(first.inserted, true);
    const second = await saveReport(pool, report("b-twice", { reason: "changed", validRows: 0, invalidRows: 3 }), [
      badRow(0, "x"),
      badRow(1, "z"),
      badRow(2, "y"),
    ]);
    assert.equal(second.inserted, false);
    assert.deepEqual(second.report, first.report);
    assert.equal(second.report.reason, "all 3 rows are valid");
    assert.deepEqual(
      (await getQuarantinedRows(pool, "b-twice")).map((row) => [row.rowIndex, row.raw.wind, row.problems[0]?.kind]),
      [
        [0, "x", "type"],
        [2, "y", "type"],
      ],
    );
  });

  test("a report without quarantined rows is stored once too, and comes back as getReport reads it", async () => {
    const first = await saveReport(pool, report("b-clean"), []);
    assert.equal(first.inserted, true);
    assert.deepEqual(first.report, await getReport(pool, "b-clean"));
    const second = await saveReport(pool, report("b-clean", { reason: "changed" }), []);
    assert.equal(second.inserted, false);
    assert.deepEqual(second.report, first.report);
  });

  test("stores nothing when a quarantined row cannot be written", async () => {
    const rows = [badRow(0, "x"), { ...badRow(0, "y"), raw: { wind: 1n } as unknown as Record<string, unknown> }];
    await assert.rejects(saveReport(pool, report("b-partial", { validRows: 1, invalidRows: 2 }), rows));
    assert.equal(await getReport(pool, "b-partial"), null);
  });

  test("keeps a NUL character of a raw cell as U+FFFD, which PostgreSQL can hold", async () => {
    await saveReport(pool, report("b-nul", { validRows: 2, invalidRows: 1 }), [badRow(1, "a\u0000b")]);
    const [row] = await getQuarantinedRows(pool, "b-nul");
    assert.equal(row?.raw.wind, "a\uFFFDb");
  });
});

describe("getReport and listReports", () => {
  test("read back what was stored, with the time it was stored", async () => {
    await saveReport(pool, report("b-read"), []);
    const stored = await getReport(pool, "b-read");
    assert.ok(stored);
    const { createdAt, ...rest } = stored;
    assert.deepEqual(rest, report("b-read"));
    assert.ok(Math.abs(Date.parse(createdAt) - Date.now()) < 60_000);
    assert.equal(await getReport(pool, "b-never"), null);
  });

  test("list a dataset's reports newest first, by decision and up to a limit", async () => {
    for (const batchId of ["l-1", "l-2", "l-3"]) await saveReport(pool, report(batchId, { dataset: "listed" }), []);
    const rejected = report("l-4", { dataset: "listed", decision: "reject", reason: "bad", rowsKey: null });
    await saveReport(pool, rejected, []);

    const all = await listReports(pool, "listed");
    assert.deepEqual(
      all.map((stored) => stored.batchId),
      ["l-4", "l-3", "l-2", "l-1"],
    );
    assert.deepEqual(
      (await listReports(pool, "listed", { decision: "reject" })).map((stored) => [stored.batchId, stored.rowsKey]),
      [["l-4", null]],
    );
    assert.equal((await listReports(pool, "listed", { limit: 2, decision: "accept" })).length, 2);
    assert.deepEqual(await listReports(pool, "unknown-dataset"), []);
  });

  test("refuse a limit outside 1 to 1000, naming it", async () => {
    await assert.rejects(listReports(pool, "listed", { limit: 0 }), {
      name: "RangeError",
      message: "listReports limit 0: use a whole number from 1 to 1000",
    });
    await assert.rejects(listReports(pool, "listed", { limit: 2.5 }), /listReports limit 2.5/);
  });
});
