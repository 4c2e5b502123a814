import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createPool, migrate } from "@gyre/db";
import {
  type DatasetSpec,
  type DatasetSpecInput,
  datasetSpecSchema,
  parseDatasetSpec,
  type TransformSpec,
} from "@gyre/spec";
import type pg from "pg";

const REPO = new URL("../../../", import.meta.url);

/** examples/weather.spec.yaml under another dataset name. */
export function weatherSpec(name: string, change: Partial<DatasetSpecInput> = {}): DatasetSpec {
  const spec = parseDatasetSpec(readFileSync(new URL("examples/weather.spec.yaml", REPO), "utf8"));
  return datasetSpecSchema.parse({ ...spec, name, ...change });
}

/** A full spec around the given schema part; the training, model and promotion parts do not matter here. */
export function specWith(
  schema: Pick<DatasetSpecInput, "features" | "label"> & Partial<DatasetSpecInput>,
): DatasetSpec {
  return datasetSpecSchema.parse({
    name: "sensors",
    eventTime: "time",
    training: {},
    model: { kind: "mlp-regressor" },
    promotion: { metric: "rmse" },
    ...schema,
  });
}

export interface WeatherRow {
  location: string;
  date: string;
  precipitation: number;
  temp_max: number;
  temp_min: number;
  wind: number;
  weather: string | null;
  [column: string]: unknown;
}

/** vega-datasets weather.csv (Seattle and New York, 2012-2015) as typed rows, the way validation writes them. */
export function weatherRows(): WeatherRow[] {
  const text = readFileSync(new URL("node_modules/vega-datasets/data/weather.csv", REPO), "utf8");
  const [header, ...lines] = text.trim().split("\n");
  if (header?.trim() !== "location,date,precipitation,temp_max,temp_min,wind,weather") {
    throw new Error(`weather.csv header changed: ${header}`);
  }
  return lines.map((line) => {
    const [location, date, precipitation, tempMax, tempMin, wind, weather] = line.trim().split(",");
    return {
      location: location as string,
      date: new Date(`${date}T00:00:00Z`).toISOString(),
      precipitation: Number(precipitation),
      temp_max: Number(tempMax),
      temp_min: Number(tempMin),
      wind: Number(wind),
      weather: weather ?? null,
    };
  });
}

/** Rows whose date starts with one of the prefixes ("2012-03"), in file order. */
export function rowsIn(rows: readonly WeatherRow[], ...prefixes: string[]): WeatherRow[] {
  return rows.filter((row) => prefixes.some((prefix) => row.date.startsWith(prefix)));
}

export function toNdjson(rows: readonly object[]): string {
  return rows.map((row) => `${JSON.stringify(row)}\n`).join("");
}

/** A "sensors" dataset: time, sensor (the entity key, one of `sensors`), a nullable temp and a numeric target. */
export function sensorsSpec(sensors: string[], transforms: TransformSpec[]): DatasetSpec {
  return specWith({
    name: "sensors",
    eventTime: "time",
    entityKey: "sensor",
    features: [
      { name: "time", type: "timestamp" },
      { name: "sensor", type: "categorical", categories: sensors },
      { name: "temp", type: "numeric", nullable: true },
    ],
    label: { name: "target", type: "numeric" },
    transforms,
  });
}

/** A pool on a fresh schema with the feature store's migrations applied. */
export async function migratedPool(databaseUrl: string, schema: string): Promise<pg.Pool> {
  await migrate({
    connectionString: databaseUrl,
    schema,
    dir: fileURLToPath(new URL("../migrations", import.meta.url)),
  });
  return createPool({ connectionString: databaseUrl, schema });
}
