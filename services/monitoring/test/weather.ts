/**
 * weather.csv from vega-datasets (Seattle and New York, 2012-2015) typed as validation writes it, and the weather
 * spec (examples/weather.spec.yaml) with the drift policy the service tests use.
 */
import { readFileSync } from "node:fs";
import type { DatasetSpec } from "@gyre/spec";
import { parseDatasetSpec } from "@gyre/spec";
import { parse } from "csv-parse/sync";

export type City = "Seattle" | "New York";

export interface WeatherRow {
  [column: string]: string | number | null;
  location: City;
  date: string;
  precipitation: number;
  temp_max: number;
  temp_min: number;
  wind: number;
  weather: string | null;
}

interface CsvRow {
  location: City;
  date: string;
  precipitation: string;
  temp_max: string;
  temp_min: string;
  wind: string;
  weather: string;
}

/** Every row of one city, in date order, typed (ISO timestamps, numbers). */
export function weatherRows(city: City): WeatherRow[] {
  // vega-datasets hides data/ behind its exports, so read the file by path.
  const csv = readFileSync(new URL("../../../node_modules/vega-datasets/data/weather.csv", import.meta.url), "utf8");
  return (parse(csv, { columns: true, skip_empty_lines: true }) as CsvRow[])
    .filter((record) => record.location === city)
    .map((record) => ({
      location: record.location,
      date: `${record.date}T00:00:00.000Z`,
      precipitation: Number(record.precipitation),
      temp_max: Number(record.temp_max),
      temp_min: Number(record.temp_min),
      wind: Number(record.wind),
      weather: record.weather,
    }))
    .sort((a, b) => a.date.localeCompare(b.date));
}

export function inYears(rows: readonly WeatherRow[], from: number, to: number): WeatherRow[] {
  return rows.filter((row) => {
    const year = Number(row.date.slice(0, 4));
    return year >= from && year <= to;
  });
}

/** Every `step`-th row from `offset`: a sample that covers every season and year, as the training rows do. */
export function everyNth<T>(rows: readonly T[], step: number, offset = 0): T[] {
  return rows.filter((_, index) => index % step === offset);
}

/** Every row but every `step`-th from `offset`. */
export function allButEveryNth<T>(rows: readonly T[], step: number, offset = 0): T[] {
  return rows.filter((_, index) => index % step !== offset);
}

export function unlabelled(rows: readonly WeatherRow[]): WeatherRow[] {
  return rows.map((row) => ({ ...row, weather: null }));
}

/** Each label replaced by the next class of the spec: a batch the champion gets almost entirely wrong. */
export function mislabelled(rows: readonly WeatherRow[], classes: readonly string[]): WeatherRow[] {
  return rows.map((row) => {
    const index = classes.indexOf(row.weather ?? "");
    return { ...row, weather: classes[(index + 1) % classes.length] ?? null };
  });
}

/** examples/weather.spec.yaml with a small window and a short cooldown, so a test sees both in seconds. */
export function weatherSpec(drift: Partial<DatasetSpec["drift"]> = {}): DatasetSpec {
  const spec = parseDatasetSpec(readFileSync(new URL("../../../examples/weather.spec.yaml", import.meta.url), "utf8"));
  return { ...spec, drift: { ...spec.drift, ...drift } };
}
