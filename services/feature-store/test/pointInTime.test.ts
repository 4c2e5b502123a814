import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { dropSchema } from "@gyre/db";
import type { TransformSpec } from "@gyre/spec";
import { infraFromEnv, uniqueId } from "@gyre/testkit";
import type pg from "pg";
import { writeBatch } from "../src/batchWriter.ts";
import { tableLayout } from "../src/layout.ts";
import { onlineFeatures } from "../src/onlineFeatures.ts";
import { featureTypes } from "../src/pgValues.ts";
import { featureRowsSql, ROW_ORDER } from "../src/readQuery.ts";
import { migratedPool, sensorsSpec } from "./weather.ts";

// The SQL of featureRowsSql against PostgreSQL, without the service: batches written out of order, ties in event
// time, nulls, and transforms that read other transforms, checked against values computed here from the rows with
// a strictly earlier event time of the same entity.

const transforms: TransformSpec[] = [
  { kind: "datePart", name: "hour", from: "time", part: "hour" },
  { kind: "lag", name: "temp_lag1", column: "temp", lag: 1 },
  { kind: "lag", name: "temp_lag2", column: "temp", lag: 2 },
  { kind: "rollingMean", name: "temp_mean3", column: "temp", window: 3 },
  { kind: "ratio", name: "temp_change", numerator: "temp", denominator: "temp_lag1" },
  { kind: "lag", name: "change_lag1", column: "temp_change", lag: 1 },
  { kind: "lag", name: "hour_lag1", column: "hour", lag: 1 },
];
const spec = sensorsSpec(["a", "b"], transforms);
const layout = tableLayout(spec);

type SensorRow = { time: string; sensor: string; temp: number | null; target: number | null };
const at = (hour: number) => new Date(Date.UTC(2024, 0, 1, hour)).toISOString();
// Written in this order: the latest hours first, the earliest last; hour 5 of "a" appears in two batches.
const batches: { id: string; rows: SensorRow[] }[] = [
  {
    id: "late",
    rows: [
      { time: at(7), sensor: "a", temp: 17, target: 1 },
      { time: at(5), sensor: "a", temp: 15, target: 1 },
      { time: at(6), sensor: "b", temp: 26, target: null },
      { time: at(8), sensor: "a", temp: 0, target: 1 },
      { time: at(9), sensor: "a", temp: 19, target: 1 },
    ],
  },
  {
    id: "early",
    rows: [
      { time: at(1), sensor: "a", temp: 11, target: 1 },
      { time: at(2), sensor: "b", temp: 22, target: 2 },
      { time: at(3), sensor: "a", temp: null, target: 1 },
      { time: at(2), sensor: "a", temp: 12, target: 1 },
      { time: at(4), sensor: "b", temp: 24, target: 2 },
    ],
  },
  {
    // Older history than any lag reaches from the latest row: online reads skip it.
    id: "ancient",
    rows: Array.from({ length: 14 }, (_, step) => ({
      time: at(-12 + Math.min(step, 12)),
      sensor: "a",
      temp: 100 + step,
      target: 1,
    })),
  },
  {
    id: "middle",
    rows: [
      { time: at(5), sensor: "a", temp: 55, target: 1 },
      { time: at(4), sensor: "a", temp: 14, target: 1 },
      { time: at(6), sensor: "a", temp: 16, target: 1 },
    ],
  },
];

type Stored = SensorRow & { seq: number; index: number };

type Derived = Record<
  "hour" | "temp_lag1" | "temp_lag2" | "temp_mean3" | "temp_change" | "change_lag1" | "hour_lag1",
  number | null
>;

/** The reference: values from the rows of the same sensor with a strictly earlier time, latest last. */
function expected(all: readonly Stored[], row: Stored): Derived {
  const order = (x: Stored, y: Stored) => x.time.localeCompare(y.time) || x.seq - y.seq || x.index - y.index;
  const earlier = all.filter((other) => other.sensor === row.sensor && other.time < row.time).sort(order);
  const back = (k: number) => earlier[earlier.length - k];
  const lag1 = back(1)?.temp ?? null;
  const recent = earlier.slice(-3).flatMap((other) => (other.temp === null ? [] : [other.temp]));
  const change = (of: Stored, previous: number | null) =>
    of.temp === null || previous === null || previous === 0 ? null : of.temp / previous;
  const previousRow = back(1);
  const previousChange = previousRow ? change(previousRow, expected(all, previousRow).temp_lag1) : null;
  return {
    hour: new Date(row.time).getUTCHours(),
    temp_lag1: lag1,
    temp_lag2: back(2)?.temp ?? null,
    temp_mean3: recent.length === 0 ? null : recent.reduce((sum, value) => sum + value, 0) / recent.length,
    temp_change: change(row, lag1),
    change_lag1: previousChange,
    hour_lag1: previousRow ? new Date(previousRow.time).getUTCHours() : null,
  };
}

describe("featureRowsSql is point in time correct", () => {
  const infra = infraFromEnv();
  const schema = `fs_${uniqueId()}`;
  let pool: pg.Pool;
  const stored: Stored[] = [];

  before(async () => {
    pool = await migratedPool(infra.databaseUrl, schema);
    for (const batch of batches) {
      const written = await writeBatch(pool, {
        batchId: batch.id,
        sha256: "0".repeat(64),
        specRevision: 1,
        rowsKey: `validated/sensors/${batch.id}.ndjson`,
        spec,
        layout,
        openRows: () => [batch.rows],
      });
      assert.equal(written.created, true);
      const { rows } = await pool.query<{ batch_seq: string }>("SELECT batch_seq FROM batches WHERE batch_id = $1", [
        batch.id,
      ]);
      const seq = Number(rows[0]?.batch_seq);
      stored.push(...batch.rows.map((row, index) => ({ ...row, seq, index })));
    }
  });
  after(async () => {
    await pool?.end();
    await dropSchema(infra.databaseUrl, schema);
  });

  test("every row's lags, rolling mean and chained transforms use only strictly earlier rows of its entity", async () => {
    const { rows } = await pool.query<Record<string, unknown>>({
      text: `${featureRowsSql(layout, "true")} ORDER BY ${ROW_ORDER}`,
      types: featureTypes,
    });
    assert.equal(rows.length, stored.length);
    for (const row of rows) {
      const source = stored.find(
        (candidate) => candidate.seq === row._batch_seq && candidate.index === row._row_index,
      ) as Stored;
      const want = expected(stored, source);
      const got = Object.fromEntries(Object.keys(want).map((name) => [name, row[name]]));
      for (const [name, value] of Object.entries(want)) {
        const actual = got[name];
        if (typeof value === "number" && typeof actual === "number") {
          assert.ok(Math.abs(value - actual) < 1e-9, `${source.sensor} ${source.time} ${name}: ${actual} != ${value}`);
        } else {
          assert.equal(actual, value, `${source.sensor} ${source.time} ${name}`);
        }
      }
    }
  });

  test("two rows of one entity at the same time see the same history, not each other", async () => {
    const { rows } = await pool.query<Record<string, unknown>>({
      text: `SELECT * FROM (${featureRowsSql(layout, "true")}) AS f WHERE "_entity_key" = 'a' AND "_event_time" = $1`,
      values: [at(5)],
      types: featureTypes,
    });
    assert.deepEqual(rows.map((row) => [row.temp, row.temp_lag1, row.temp_lag2]).sort(), [
      [15, 14, null],
      [55, 14, null],
    ]);
  });

  test("the online row of an entity is its latest by event time, whatever order the batches came in", async () => {
    const { rows } = await pool.query<Record<string, unknown>>({
      text: `SELECT "_entity_key", "_event_time", temp FROM ${layout.onlineTable} ORDER BY "_entity_key"`,
      types: featureTypes,
    });
    assert.deepEqual(
      rows.map((row) => [row._entity_key, (row._event_time as Date).toISOString(), row.temp]),
      [
        ["a", at(9), 19],
        ["b", at(6), 26],
      ],
    );
  });

  test("online reads give the latest row the same transforms, from only as much history as they reach", async () => {
    const response = await onlineFeatures(pool, "sensors", ["a", "b", "c"]);
    assert.deepEqual(
      (response.entities ?? []).map((entity) => [entity.entity_key, entity.found, entity.event_time]),
      [
        ["a", true, at(9)],
        ["b", true, at(6)],
        ["c", false, ""],
      ],
    );
    for (const entity of (response.entities ?? []).filter((candidate) => candidate.found)) {
      const latest = stored
        .filter((row) => row.sensor === entity.entity_key)
        .sort((x, y) => x.time.localeCompare(y.time) || x.seq - y.seq || x.index - y.index)
        .at(-1) as Stored;
      for (const [name, value] of Object.entries(expected(stored, latest))) {
        const cell = entity.values?.[name];
        const actual = cell?.null_value ? null : (cell?.number_value ?? cell?.string_value ?? cell?.bool_value);
        if (typeof value === "number") {
          assert.ok(
            typeof actual === "number" && Math.abs(actual - value) < 1e-9,
            `${entity.entity_key} ${name}: ${actual} != ${value}`,
          );
        } else {
          assert.equal(actual, value, `${entity.entity_key} ${name}`);
        }
      }
    }
  });

  test("a batch written again writes nothing and reports the first write", async () => {
    const batch = batches[0] as (typeof batches)[number];
    const again = await writeBatch(pool, {
      batchId: batch.id,
      sha256: "0".repeat(64),
      specRevision: 1,
      rowsKey: "x",
      spec,
      layout,
      openRows: () => [batch.rows],
    });
    assert.equal(again.created, false);
    assert.equal(again.rowsWritten, batch.rows.length);
    const { rows } = await pool.query<{ count: string }>(`SELECT count(*) FROM ${layout.offlineTable}`);
    assert.equal(Number(rows[0]?.count), stored.length);
  });
});
