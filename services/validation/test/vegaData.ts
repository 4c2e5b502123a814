import { readFileSync } from "node:fs";

/** A CSV file of the vega-datasets package (installed at the repository root; its exports hide data/). */
export function vegaCsv(file: "seattle-weather.csv" | "weather.csv"): string {
  return readFileSync(new URL(`../../../node_modules/vega-datasets/data/${file}`, import.meta.url), "utf8");
}
