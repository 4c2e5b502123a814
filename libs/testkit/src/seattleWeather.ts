import { readFileSync } from "node:fs";
import { REPO_ROOT } from "@gyre/service";
import { parquetWriteBuffer } from "hyparquet-writer";

/** One day of vega-datasets' seattle-weather.csv, numbers as numbers. */
export interface SeattleDay {
  date: string;
  precipitation: number;
  temp_max: number;
  temp_min: number;
  wind: number;
  weather: string;
}

export const SEATTLE_WEATHER_CSV = `${REPO_ROOT}node_modules/vega-datasets/data/seattle-weather.csv`;

/** The days of seattle-weather.csv (a plain CSV: no quotes), in file order. */
export function seattleWeatherDays(): SeattleDay[] {
  const [, ...lines] = readFileSync(SEATTLE_WEATHER_CSV, "utf8").trimEnd().split("\n");
  return lines.map((line) => {
    const [date = "", precipitation, temp_max, temp_min, wind, weather = ""] = line.split(",");
    return {
      date,
      precipitation: Number(precipitation),
      temp_max: Number(temp_max),
      temp_min: Number(temp_min),
      wind: Number(wind),
      weather,
    };
  });
}

export interface ParquetWriteChoices {
  /** Rows per row group (hyparquet-writer's default: 1000 first, then 100000). */
  rowGroupSize?: number;
  /** Compression of the pages (default SNAPPY, as pandas and Spark write). */
  codec?: "UNCOMPRESSED" | "SNAPPY";
}

/**
 * Days written as a Parquet file with hyparquet-writer, the way a data team's export would hold them: `date` a
 * TIMESTAMP (milliseconds, UTC midnight), the measurements DOUBLE, `weather` a UTF-8 STRING.
 */
export function seattleWeatherParquet(days: readonly SeattleDay[], choices: ParquetWriteChoices = {}): Buffer {
  const column = <K extends keyof SeattleDay>(name: K) => days.map((day) => day[name]);
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: "date", data: days.map((day) => new Date(`${day.date}T00:00:00Z`)), type: "TIMESTAMP" },
      { name: "precipitation", data: column("precipitation"), type: "DOUBLE" },
      { name: "temp_max", data: column("temp_max"), type: "DOUBLE" },
      { name: "temp_min", data: column("temp_min"), type: "DOUBLE" },
      { name: "wind", data: column("wind"), type: "DOUBLE" },
      { name: "weather", data: column("weather"), type: "STRING" },
    ],
    ...(choices.rowGroupSize === undefined ? {} : { rowGroupSize: choices.rowGroupSize }),
    ...(choices.codec === undefined ? {} : { codec: choices.codec }),
  });
  return Buffer.from(buffer);
}
