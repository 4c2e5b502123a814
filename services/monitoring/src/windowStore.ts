import type pg from "pg";
import type { WindowSource } from "./driftEvents.ts";

/** Locks the dataset's row (creating it first), so one handler at a time changes its windows, checks and scores. */
export async function lockDataset(client: pg.PoolClient, dataset: string): Promise<void> {
  await client.query("INSERT INTO datasets (dataset) VALUES ($1) ON CONFLICT (dataset) DO NOTHING", [dataset]);
  await client.query("SELECT dataset FROM datasets WHERE dataset = $1 FOR UPDATE", [dataset]);
}

export interface WindowState {
  /** The open window's number. */
  seq: number;
  /** Rows in it, this batch included. */
  rows: number;
}

/**
 * Adds a batch to the open window of its source, once: null when the batch was already added (a redelivery), so
 * its rows never count twice. Call under lockDataset.
 */
export async function addToWindow(
  client: pg.PoolClient,
  batch: { dataset: string; source: WindowSource; batchId: string; rows: readonly Record<string, unknown>[] },
): Promise<WindowState | null> {
  const { dataset, source } = batch;
  await client.query("INSERT INTO windows (dataset, source, seq) VALUES ($1, $2, 1) ON CONFLICT DO NOTHING", [
    dataset,
    source,
  ]);
  const { rows: windows } = await client.query<{ seq: number }>(
    "SELECT seq FROM windows WHERE dataset = $1 AND source = $2",
    [dataset, source],
  );
  const seq = windows[0]?.seq ?? 1;
  const inserted = await client.query(
    `INSERT INTO window_batches (dataset, source, batch_id, window_seq, row_count, rows)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
    [dataset, source, batch.batchId, seq, batch.rows.length, JSON.stringify(batch.rows)],
  );
  if (inserted.rowCount === 0) return null;
  const { rows: totals } = await client.query<{ rows: string }>(
    "SELECT COALESCE(SUM(row_count), 0) AS rows FROM window_batches WHERE dataset = $1 AND source = $2 AND window_seq = $3",
    [dataset, source, seq],
  );
  return { seq, rows: Number(totals[0]?.rows ?? 0) };
}

/** Every row of a window, in the order its batches arrived. */
export async function windowRows(
  client: pg.PoolClient,
  window: { dataset: string; source: WindowSource; seq: number },
): Promise<Record<string, unknown>[]> {
  const { rows } = await client.query<{ rows: Record<string, unknown>[] | null }>(
    `SELECT rows FROM window_batches WHERE dataset = $1 AND source = $2 AND window_seq = $3
     ORDER BY added_at, batch_id`,
    [window.dataset, window.source, window.seq],
  );
  return rows.flatMap((row) => row.rows ?? []);
}

/** Opens the next window and lets go of the checked window's rows (its report keeps what they showed). */
export async function closeWindow(
  client: pg.PoolClient,
  window: { dataset: string; source: WindowSource; seq: number },
): Promise<void> {
  await client.query("UPDATE windows SET seq = $3 + 1 WHERE dataset = $1 AND source = $2 AND seq = $3", [
    window.dataset,
    window.source,
    window.seq,
  ]);
  await client.query("UPDATE window_batches SET rows = NULL WHERE dataset = $1 AND source = $2 AND window_seq = $3", [
    window.dataset,
    window.source,
    window.seq,
  ]);
}

/** The batches (or prediction events) of a window, in the order they arrived. */
export async function windowBatchIds(
  client: pg.PoolClient,
  window: { dataset: string; source: WindowSource; seq: number },
): Promise<string[]> {
  const { rows } = await client.query<{ batch_id: string }>(
    `SELECT batch_id FROM window_batches WHERE dataset = $1 AND source = $2 AND window_seq = $3
     ORDER BY added_at, batch_id`,
    [window.dataset, window.source, window.seq],
  );
  return rows.map((row) => row.batch_id);
}
