/**
 * The rows the fault test streams: vega-datasets seattle-weather.csv (2012-2015, 1461 days) repeated with its dates
 * shifted back by whole multiples of four years (so 29 February stays a real day), oldest copy first. Every row's
 * date is unique, so the feature store's count and count(distinct date) tell rows stored, duplicates and losses.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "@gyre/service";

export interface RowBatch {
  /** The producer's batch key, also the data.arrived event id's suffix. */
  key: string;
  csv: string;
  rows: number;
  /** First and last date of the batch (YYYY-MM-DD). */
  first: string;
  last: string;
}

const HEADER = "date,precipitation,temp_max,temp_min,wind,weather";

/** `total` unique-dated rows of seattle-weather, cut into batches of `batchRows`, in date order. */
export function weatherBatches(total: number, batchRows: number, keyPrefix: string): RowBatch[] {
  if (!Number.isInteger(total) || total < 1) throw new RangeError(`rows ${total}: use a whole number >= 1`);
  if (!Number.isInteger(batchRows) || batchRows < 1)
    throw new RangeError(`batch rows ${batchRows}: use a whole number >= 1`);
  const text = readFileSync(join(REPO_ROOT, "node_modules/vega-datasets/data/seattle-weather.csv"), "utf8");
  const lines = text.trim().split("\n");
  if (lines[0] !== HEADER)
    throw new Error(`seattle-weather.csv: header ${JSON.stringify(lines[0])}, expected ${HEADER}`);
  const days = lines.slice(1);
  const copies = Math.ceil(total / days.length);
  const rows: string[] = [];
  for (let copy = copies - 1; copy >= 0 && rows.length < total; copy--) {
    const shift = copy * 4;
    for (const line of days) {
      if (rows.length >= total) break;
      const year = Number(line.slice(0, 4)) - shift;
      rows.push(`${String(year).padStart(4, "0")}${line.slice(4)}`);
    }
  }
  const batches: RowBatch[] = [];
  for (let start = 0; start < rows.length; start += batchRows) {
    const slice = rows.slice(start, start + batchRows);
    batches.push({
      key: `${keyPrefix}${String(batches.length).padStart(4, "0")}`,
      csv: [HEADER, ...slice].join("\n"),
      rows: slice.length,
      first: slice[0]?.slice(0, 10) ?? "",
      last: slice.at(-1)?.slice(0, 10) ?? "",
    });
  }
  return batches;
}
