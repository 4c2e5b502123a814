import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { dropSchema } from "@gyre/db";
import { mulberry32 } from "@gyre/model";
import type { TransformSpec } from "@gyre/spec";
import { infraFromEnv, uniqueId } from "@gyre/testkit";
import type pg from "pg";
import { writeBatch } from "../src/batchWriter.ts";
import type { ExportWindow } from "../src/exportRequest.ts";
import { quoteIdent as q, tableLayout } from "../src/layout.ts";
import { exportTypes } from "../src/pgValues.ts";
import { featureRowsSql, ROW_ORDER, ROW_ORDER_DESC } from "../src/readQuery.ts";
import { countTrainingRows, exportedColumns, type SnapshotScope, trainingRowsSql } from "../src/trainingRows.ts";
import { migratedPool, sensorsSpec } from "./weather.ts";

// An export reads, per entity, only the history its lags and rolling means can reach before the training window.
// Proven here against the export as it was (the windows over every row of the snapshot) on real PostgreSQL: many
// rows per entity, ties in event time within and across batches, unlabelled rows, nulls, batches written out of
// order, a batch the snapshot does not see, and transforms over transforms (their reaches add up).

const transforms: TransformSpec[] = [
  { kind: "lag", name: "temp_lag1", column: "temp", lag: 1 },
  { kind: "lag", name: "temp_lag3", column: "temp", lag: 3 },
  { kind: "rollingMean", name: "temp_mean4", column: "temp", window: 4 },
  { kind: "ratio", name: "temp_change", numerator: "temp", denominator: "temp_lag1" },
  { kind: "lag", name: "change_lag2", column: "temp_change", lag: 2 },
  { kind: "rollingMean", name: "mean4_mean2", column: "temp_mean4", window: 2 },
];
const spec = sensorsSpec(["a", "b", "c", "d"], transforms);
const layout = tableLayout(spec);
const defaultLayout = layout;
/** The same table with time windows and a label lag added (read-time transforms: the stored columns are the same). */
const timeLayout = tableLayout(
  sensorsSpec(
    ["a", "b", "c", "d"],
    [
      ...transforms,
      { kind: "lag", name: "target_lag1", column: "target", lag: 1 },
      { kind: "rollingMean", name: "temp_mean_12h", column: "temp", window: "12h" },
      { kind: "lag", name: "temp_lag_1d", column: "temp", lag: "1d" },
    ],
  ),
);

type SensorRow = { time: string; sensor: string; temp: number | null; target: number | null };
const hour = (h: number) => new Date(Date.UTC(2024, 0, 1) + h * 3_600_000).toISOString();

/** Eight batches of 150 rows over 600 hours; hours repeat (ties), some rows are unlabelled or have no temp. */
function batches(): { id: string; rows: SensorRow[] }[] {
  const random = mulberry32(7);
  return Array.from({ length: 8 }, (_, batch) => ({
    id: `batch-${batch}`,
    rows: Array.from({ length: 150 }, () => {
      const sensor = ["a", "b", "c", "d"][Math.floor(random() * 4)] as string;
      // sensor d stops early: its history ends long before any training window.
      const h = sensor === "d" ? Math.floor(random() * 100) : Math.floor(random() * 600);
      return {
        time: hour(h),
        sensor,
        temp: random() < 0.05 ? null : Math.round(random() * 400) / 10,
        target: random() < 0.15 ? null : Math.round(random() * 10),
      };
    }),
  }));
}

/** The export before history was bounded: the windows over every row the snapshot sees. */
function wholeHistorySql(scope: SnapshotScope, layout = defaultLayout): string {
  const filters = [`"_batch_seq" <= ${scope.maxBatchSeq}`];
  if (!scope.includeUnlabelled) filters.push(`${q(layout.label)} IS NOT NULL`);
  if (scope.window.kind === "timeRange") {
    if (scope.window.start) filters.push(`"_event_time" >= '${scope.window.start}'::timestamptz`);
    if (scope.window.end) filters.push(`"_event_time" < '${scope.window.end}'::timestamptz`);
  }
  const filtered = `SELECT * FROM (${featureRowsSql(layout, filters[0] as string)}) AS f WHERE ${filters.join(" AND ")}`;
  const output = exportedColumns(layout).map(q).join(", ");
  if (scope.window.kind !== "lastRows") return `SELECT ${output} FROM (${filtered}) AS rows ORDER BY ${ROW_ORDER}`;
  return `SELECT ${output} FROM (${filtered} ORDER BY ${ROW_ORDER_DESC} LIMIT ${scope.window.lastRows}) AS latest ORDER BY ${ROW_ORDER}`;
}

describe("a training export reads only the history its windows reach, with the same output", () => {
  const infra = infraFromEnv();
  const schema = `fs_${uniqueId()}`;
  let pool: pg.Pool;
  const seqs: number[] = [];

  before(async () => {
    pool = await migratedPool(infra.databaseUrl, schema);
    // Written latest-first for half of them: a batch's sequence number says nothing about its event times.
    const all = batches();
    for (const batch of [...all.slice(4), ...all.slice(0, 4)]) {
      await writeBatch(pool, {
        batchId: batch.id,
        sha256: "0".repeat(64),
        specRevision: 1,
        rowsKey: `validated/sensors/${batch.id}.ndjson`,
        spec,
        layout,
        openRows: () => [batch.rows],
      });
      const { rows } = await pool.query<{ batch_seq: string }>("SELECT batch_seq FROM batches WHERE batch_id = $1", [
        batch.id,
      ]);
      seqs.push(Number(rows[0]?.batch_seq));
    }
  });
  after(async () => {
    await pool?.end();
    await dropSchema(infra.databaseUrl, schema);
  });

  const read = async (sql: string) =>
    (await pool.query<unknown[]>({ text: sql, rowMode: "array", types: exportTypes })).rows;

  const windows: [string, ExportWindow][] = [
    ["the latest row", { kind: "lastRows", lastRows: 1 }],
    ["the latest 40 rows", { kind: "lastRows", lastRows: 40 }],
    ["the latest 500 rows", { kind: "lastRows", lastRows: 500 }],
    ["more rows than there are", { kind: "lastRows", lastRows: 100_000 }],
    ["an event-time range", { kind: "timeRange", start: hour(300), end: hour(420) }],
    ["a range open at the start", { kind: "timeRange", start: null, end: hour(50) }],
    ["a range open at the end", { kind: "timeRange", start: hour(590), end: null }],
    ["an empty range", { kind: "timeRange", start: hour(1000), end: null }],
    ["everything", { kind: "all" }],
  ];
  for (const [name, window] of windows) {
    for (const includeUnlabelled of [false, true]) {
      test(`${name}${includeUnlabelled ? ", unlabelled rows included" : ""}: the same rows and values`, async () => {
        // The snapshot sees all batches but the last written one.
        const maxBatchSeq = Math.max(...seqs.slice(0, -1));
        const scope: SnapshotScope = { window, holdoutShare: 0.2, includeUnlabelled, maxBatchSeq };
        const bounded = await read(trainingRowsSql(layout, scope));
        const whole = await read(wholeHistorySql(scope));
        assert.deepEqual(bounded, whole);
        assert.equal(await countTrainingRows(pool, layout, scope), whole.length);
        if (window.kind !== "timeRange" || window.start !== hour(1000)) assert.ok(whole.length > 0);
      });
    }
  }

  for (const [name, window] of windows.slice(1, 5)) {
    test(`${name}, a spec with time windows: read over each entity's whole history, the same rows and values`, async () => {
      const scope: SnapshotScope = {
        window,
        holdoutShare: 0.2,
        includeUnlabelled: false,
        maxBatchSeq: Math.max(...seqs),
      };
      const sql = trainingRowsSql(timeLayout, scope);
      assert.ok(!sql.includes("history_cuts"), "a time window is not bounded by a count of event times");
      const whole = await read(wholeHistorySql(scope, timeLayout));
      assert.deepEqual(await read(sql), whole);
      assert.ok(whole.length > 0);
    });
  }

  test("the bounded read leaves out history before what the windows reach", async () => {
    const scope: SnapshotScope = {
      window: { kind: "lastRows", lastRows: 40 },
      holdoutShare: 0.2,
      includeUnlabelled: false,
      maxBatchSeq: Math.max(...seqs),
    };
    const sql = trainingRowsSql(layout, scope);
    const cuts = /^WITH history_cuts AS MATERIALIZED \((.*)\) SELECT /s.exec(sql)?.[1];
    assert.ok(cuts, sql.slice(0, 300));
    const { rows } = await pool.query<{ entity: string; since: Date; earlier: string }>(
      `SELECT cut.entity, cut.since,
         (SELECT count(*) FROM ${q(layout.offlineTable)} o WHERE o."_entity_key" = cut.entity AND o."_event_time" < cut.since) AS earlier
       FROM (${cuts}) AS cut ORDER BY cut.entity`,
    );
    // Sensor d's rows all lie before the latest 40: it has no row in the window, so none of its history is read.
    assert.deepEqual(
      rows.map((row) => row.entity),
      ["a", "b", "c"],
    );
    for (const row of rows) assert.ok(Number(row.earlier) > 100, `${row.entity}: ${row.earlier} rows left out`);
  });
});
