import type { ColumnReference, ReferenceStats } from "@gyre/model";
import type pg from "pg";
import { type CategoryValue, countCategories } from "./categoryCounts.ts";

/** A row's calendar month (1-12) and year, from its event time; null when it has none that parses. */
export interface Season {
  year: number;
  month: number;
}

/** Rows of earlier years that a same-season reference needs at least, else the training reference is used. */
export const MIN_SEASON_REFERENCE_ROWS = 50;
/** The most recent rows of the same months that a same-season reference keeps. */
export const MAX_SEASON_REFERENCE_ROWS = 5000;

export function seasonOf(eventTime: unknown): Season | null {
  if (typeof eventTime !== "string" && !(eventTime instanceof Date)) return null;
  const at = new Date(eventTime);
  if (Number.isNaN(at.getTime())) return null;
  return { year: at.getUTCFullYear(), month: at.getUTCMonth() + 1 };
}

/** Keeps a batch's rows (the tested columns) by the calendar month of their event time, once per batch. */
export async function recordSeasonRows(
  client: pg.PoolClient,
  dataset: string,
  batchId: string,
  rows: readonly Record<string, unknown>[],
  seasons: readonly (Season | null)[],
): Promise<void> {
  const groups = new Map<string, { season: Season; rows: Record<string, unknown>[] }>();
  rows.forEach((row, index) => {
    const season = seasons[index];
    if (!season) return;
    const key = `${season.year}-${season.month}`;
    const group = groups.get(key) ?? { season, rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  });
  for (const { season, rows: monthRows } of groups.values()) {
    await client.query(
      `INSERT INTO season_rows (dataset, batch_id, year, month, rows) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING`,
      [dataset, batchId, season.year, season.month, JSON.stringify(monthRows)],
    );
  }
}

export interface SeasonReference {
  stats: ReferenceStats;
  months: number[];
  /** Earlier years than this one (the window's first). */
  before: number;
}

/**
 * The reference from the same calendar months as the window's batches, in years before the window's earliest: the
 * champion's reference columns with their samples and counts replaced by those rows'. Null when fewer than
 * MIN_SEASON_REFERENCE_ROWS such rows were seen (the caller keeps the training reference).
 */
export async function seasonReference(
  client: pg.PoolClient,
  dataset: string,
  windowBatchIds: readonly string[],
  training: ReferenceStats,
): Promise<SeasonReference | null> {
  const { rows: seasons } = await client.query<{ months: number[] | null; first_year: number | null }>(
    `SELECT array_agg(DISTINCT month ORDER BY month) AS months, min(year) AS first_year FROM season_rows
     WHERE dataset = $1 AND batch_id = ANY($2::text[])`,
    [dataset, [...windowBatchIds]],
  );
  const months = seasons[0]?.months ?? null;
  const firstYear = seasons[0]?.first_year ?? null;
  if (months === null || firstYear === null) return null;
  const { rows: earlier } = await client.query<{ rows: Record<string, unknown>[] }>(
    `SELECT rows FROM season_rows WHERE dataset = $1 AND month = ANY($2::int[]) AND year < $3
     ORDER BY year DESC, month, batch_id`,
    [dataset, months, firstYear],
  );
  const referenceRows = earlier.flatMap((group) => group.rows).slice(0, MAX_SEASON_REFERENCE_ROWS);
  if (referenceRows.length < MIN_SEASON_REFERENCE_ROWS) return null;
  return {
    stats: {
      ...training,
      rows: referenceRows.length,
      columns: training.columns.map((column) => fromRows(column, referenceRows)),
    },
    months,
    before: firstYear,
  };
}

function fromRows(column: ColumnReference, rows: readonly Record<string, unknown>[]): ColumnReference {
  if (column.kind === "numeric") {
    const sample = rows
      .map((row) => row[column.name])
      .filter((value): value is number => typeof value === "number" && Number.isFinite(value));
    return { ...column, count: sample.length, sample };
  }
  const counts = countCategories(rows.map((row) => row[column.name] as CategoryValue));
  const categories = column.categories.map((category) => ({ ...category, count: counts.get(category.value) ?? 0 }));
  return { ...column, categories };
}
