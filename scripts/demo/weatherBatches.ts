import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "@gyre/service";
import { parse } from "csv-parse/sync";

export const WEATHER_CSV = join(REPO_ROOT, "node_modules/vega-datasets/data/weather.csv");

/** One month of one city's days, as the CSV text a producer sends inline in `data.arrived`. */
export interface MonthBatch {
  /** The producer's batch key, e.g. `weather-seattle-2012-01` (after the run's prefix). */
  key: string;
  location: string;
  /** `YYYY-MM`. */
  month: string;
  rows: number;
  csv: string;
}

/**
 * Splits vega-datasets weather.csv into one batch per city and calendar month, in date order, each with the header
 * row and the original lines unchanged. Keys start with `keyPrefix`, so a rerun in the same namespace sends new
 * batches instead of repeating keys that ingestion already holds.
 */
export function weatherBatches(keyPrefix: string, file = WEATHER_CSV): Map<string, MonthBatch[]> {
  const text = readFileSync(file, "utf8");
  const header = text.slice(0, text.indexOf("\n")).trim();
  const records = parse(text, { columns: true, raw: true, skip_empty_lines: true }) as {
    record: Record<string, string>;
    raw: string;
  }[];
  const byCity = new Map<string, Map<string, string[]>>();
  for (const { record, raw } of records) {
    const location = record.location ?? "";
    const month = (record.date ?? "").slice(0, 7);
    const months = byCity.get(location) ?? new Map<string, string[]>();
    byCity.set(location, months);
    const lines = months.get(month) ?? [];
    lines.push(raw.trim());
    months.set(month, lines);
  }
  const batches = new Map<string, MonthBatch[]>();
  for (const [location, months] of byCity) {
    const city = location.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    batches.set(
      location,
      [...months]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([month, lines]) => ({
          key: `${keyPrefix}weather-${city}-${month}`,
          location,
          month,
          rows: lines.length,
          csv: [header, ...lines].join("\n"),
        })),
    );
  }
  return batches;
}
