/**
 * seattle-weather.csv from vega-datasets as the feature store would export it for examples/seattle-weather.spec.yaml:
 * typed values, the spec's transforms added (month, temp_max_lag1, precipitation_mean_7), in event-time order,
 * the latest 20% as holdout.
 */
import { readFileSync } from "node:fs";
import type { FeatureRow } from "@gyre/model";
import { type DatasetSpec, parseDatasetSpec } from "@gyre/spec";
import { parse } from "csv-parse/sync";

export function seattleWeatherSpec(): DatasetSpec {
  return parseDatasetSpec(
    readFileSync(new URL("../../../examples/seattle-weather.spec.yaml", import.meta.url), "utf8"),
  );
}

/** The spec with its model section replaced (epochs kept small: tests share two cores). */
export function withModel(spec: DatasetSpec, model: Partial<DatasetSpec["model"]>): DatasetSpec {
  return { ...spec, model: { ...spec.model, ...model } };
}

interface CsvRow {
  date: string;
  precipitation: string;
  temp_max: string;
  temp_min: string;
  wind: string;
  weather: string;
}

export function seattleWeatherRows(): FeatureRow[] {
  // vega-datasets (installed at the repository root) hides data/ behind its exports, so read the file by path.
  const csv = readFileSync(
    new URL("../../../node_modules/vega-datasets/data/seattle-weather.csv", import.meta.url),
    "utf8",
  );
  const records = parse(csv, { columns: true, skip_empty_lines: true }) as CsvRow[];
  const typed = records
    .map((record) => ({
      date: `${record.date}T00:00:00.000Z`,
      precipitation: Number(record.precipitation),
      temp_max: Number(record.temp_max),
      temp_min: Number(record.temp_min),
      wind: Number(record.wind),
      weather: record.weather,
    }))
    .sort((a, b) => a.date.localeCompare(b.date));
  return typed.map((row, index) => {
    const previous = typed.slice(Math.max(0, index - 7), index).map((earlier) => earlier.precipitation);
    return {
      ...row,
      month: new Date(row.date).getUTCMonth() + 1,
      temp_max_lag1: index > 0 ? (typed[index - 1]?.temp_max ?? null) : null,
      precipitation_mean_7:
        previous.length > 0 ? previous.reduce((sum, value) => sum + value, 0) / previous.length : null,
    };
  });
}

/** Time-based split: the latest `holdoutShare` of the rows are the holdout. */
export function timeSplit(
  rows: FeatureRow[],
  holdoutShare = 0.2,
): { trainRows: FeatureRow[]; holdoutRows: FeatureRow[] } {
  const cut = rows.length - Math.round(rows.length * holdoutShare);
  return { trainRows: rows.slice(0, cut), holdoutRows: rows.slice(cut) };
}
