/**
 * The cost of a training export as the dataset's history grows (part of `bench training-export`): the same
 * 10,000-row window (ExportTrainingSet, last_rows) exported from a dataset that stores 20,000 rows and from one that
 * stores 2,000,000, both with eight entities, two lags and a 24-row rolling mean. The stored rows are COPYed straight
 * into the feature store's offline table (through its own batch's id and sequence, so the snapshot sees them) after a
 * small batch through the service created the tables; the last 10,000 rows are identical in both datasets.
 * `historyRatio` = export time at 2,000,000 ÷ at 20,000 (the fastest of the repeats each).
 */
import { pipeline } from "node:stream/promises";
import type { ArtifactStore } from "@gyre/artifacts";
import type { Bus } from "@gyre/bus";
import { newEvent } from "@gyre/contracts";
import { createPool } from "@gyre/db";
import type { FeatureStoreClient } from "@gyre/grpc";
import type { SpecStore } from "@gyre/spec";
import { validateDatasetSpec } from "@gyre/spec";
import { from as copyFrom } from "pg-copy-streams";
import { quoteIdent as q, tableLayout } from "../../services/feature-store/src/layout.ts";
import { exportRequest, exportTrainingSet } from "../../services/trainer/src/trainingSet.ts";
import { type Timing, timed } from "../training.ts";

export const WINDOW_ROWS = 10_000;
const ENTITIES = 8;
const DEADLINE_MS = 600_000;

function historySpec(name: string) {
  return validateDatasetSpec({
    name,
    eventTime: "at",
    entityKey: "station",
    features: [
      { name: "at", type: "timestamp" },
      { name: "station", type: "categorical", categories: Array.from({ length: ENTITIES }, (_, i) => `s${i}`) },
      { name: "x1", type: "numeric" },
      { name: "x2", type: "numeric" },
    ],
    label: { name: "y", type: "numeric" },
    transforms: [
      { kind: "lag", name: "x1_lag1", column: "x1", lag: 1 },
      { kind: "lag", name: "x2_lag3", column: "x2", lag: 3 },
      { kind: "rollingMean", name: "x1_mean24", column: "x1", window: 24 },
    ],
    training: { holdoutShare: 0.2, seed: 1, windowRows: WINDOW_ROWS },
    model: { kind: "mlp-regressor", epochs: 1 },
    promotion: { metric: "rmse" },
  });
}

/** Row i counted back from the newest (0 = newest): the same values whatever the dataset's size. */
function storedRow(back: number): Record<string, string | number> {
  const at = new Date(Date.UTC(2030, 0, 1) - back * 60_000).toISOString();
  const x1 = Math.round(Math.sin(back / 7) * 1000) / 100;
  const x2 = (back % 97) / 10;
  return { at, station: `s${back % ENTITIES}`, x1, x2, y: Math.round((x1 + x2) * 100) / 100 };
}

export interface HistoryDatasets {
  bus: Bus;
  specs: SpecStore;
  store: ArtifactStore;
  /** Batch ids the feature store has answered with features.updated. */
  written: ReadonlySet<string>;
  databaseUrl: string;
  schema: string;
}

/** Creates the dataset through the service with one small batch, then COPYs `rows` stored rows into its table. */
async function loadDataset(env: HistoryDatasets, name: string, rows: number): Promise<void> {
  const spec = historySpec(name);
  const { revision } = await env.specs.apply(spec);
  const batchId = `${name}-seed`;
  // The seed rows are older than every copied row: they only create the tables and the batch the copy joins.
  const seed = Array.from({ length: 10 }, (_, index) => storedRow(rows + 100_000 + index));
  const rowsKey = `rows/${name}/${batchId}.ndjson`;
  await env.store.put(rowsKey, seed.map((row) => `${JSON.stringify(row)}\n`).join(""));
  const data = {
    batchId,
    dataset: name,
    sha256: "1".repeat(64),
    specRevision: revision,
    rowCount: seed.length,
    validRows: seed.length,
    invalidRows: 0,
    statistics: {},
    anomalies: [],
    rowsKey,
  };
  await env.bus.publish(newEvent("data.validated", "bench", data, { id: `validated-${batchId}` }), name);
  while (!env.written.has(batchId)) await new Promise((resolve) => setTimeout(resolve, 100));

  const layout = tableLayout(spec);
  const pool = createPool({ connectionString: env.databaseUrl, schema: env.schema });
  try {
    const { rows: seeded } = await pool.query<{ _batch_seq: string }>(
      `SELECT "_batch_seq" FROM ${q(layout.offlineTable)} WHERE "_batch_id" = $1 LIMIT 1`,
      [batchId],
    );
    const batchSeq = seeded[0]?._batch_seq;
    if (batchSeq === undefined) throw new Error(`${name}: the seed batch ${batchId} is not in the offline table`);
    const { rows: columns } = await pool.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2
       ORDER BY ordinal_position`,
      [env.schema, layout.offlineTable],
    );
    const names = columns.map((column) => column.column_name);
    const client = await pool.connect();
    try {
      const copy = client.query(
        copyFrom(`COPY ${q(layout.offlineTable)} (${names.map(q).join(", ")}) FROM STDIN WITH (FORMAT csv)`),
      );
      await pipeline(csvLines(names, rows, batchId, batchSeq), copy);
      await client.query(`ANALYZE ${q(layout.offlineTable)}`);
    } finally {
      client.release();
    }
  } finally {
    await pool.end();
  }
}

/** CSV of the copied rows, oldest first, in chunks of 10,000 lines. */
async function* csvLines(names: string[], rows: number, batchId: string, batchSeq: string): AsyncGenerator<string> {
  for (let start = 0; start < rows; start += 10_000) {
    let chunk = "";
    for (let index = start; index < Math.min(rows, start + 10_000); index++) {
      const row = storedRow(rows - 1 - index);
      const system: Record<string, string | number> = {
        _batch_id: batchId,
        _batch_seq: batchSeq,
        _row_index: 1_000 + index,
        _event_time: row.at as string,
        _entity_key: row.station as string,
      };
      chunk += `${names
        .map((name) => {
          const value = system[name] ?? row[name];
          if (value === undefined) throw new Error(`column ${name}: the bench does not know its value`);
          return value;
        })
        .join(",")}\n`;
    }
    yield chunk;
  }
}

export interface HistoryMeasure {
  smallRows: number;
  largeRows: number;
  smallMs: number;
  largeMs: number;
  loadMs: number;
  runs: { small: Timing[]; large: Timing[] };
}

/** Loads both datasets, then times their exports alternately (after one warm-up each). */
export async function measureHistory(
  env: HistoryDatasets,
  client: FeatureStoreClient,
  repeats: number,
  sizes = { small: 20_000, large: 2_000_000 },
): Promise<HistoryMeasure> {
  const loadStarted = performance.now();
  await loadDataset(env, "history-small", sizes.small);
  await loadDataset(env, "history-large", sizes.large);
  const loadMs = performance.now() - loadStarted;
  const exportOf = (name: string) => async () => {
    const set = await exportTrainingSet(client, exportRequest(historySpec(name), null), DEADLINE_MS);
    const rows = set.trainRows.length + set.holdoutRows.length;
    if (rows !== WINDOW_ROWS) throw new Error(`${name}: exported ${rows} rows, expected ${WINDOW_ROWS}`);
    return set;
  };
  const small = exportOf("history-small");
  const large = exportOf("history-large");
  await small();
  await large();
  const runs = { small: [] as Timing[], large: [] as Timing[] };
  for (let repeat = 0; repeat < repeats; repeat++) {
    runs.small.push(await timed(small));
    runs.large.push(await timed(large));
  }
  const fastest = (timings: Timing[]) => Math.min(...timings.map((timing) => timing.ms));
  return {
    smallRows: sizes.small,
    largeRows: sizes.large,
    smallMs: fastest(runs.small),
    largeMs: fastest(runs.large),
    loadMs,
    runs,
  };
}
