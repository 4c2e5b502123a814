import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import type { OnlineRow } from "@gyre/contracts";
import { historyDepth, parseDatasetSpec, reachableHistory, requestFeatures, withTransforms } from "@gyre/spec";
import { type FetchedHistory, OnlineHistory, type StoredRow } from "../src/online-history.ts";

// Serving's memory of entity histories against what the lib computes from all rows: a stream of weather.csv days,
// each asked for before it is stored and then announced by a features.updated event, gets the same lags and
// rolling means as a batch computation over every row, with one feature-store call per entity.

const REPO = new URL("../../../", import.meta.url);
const example = parseDatasetSpec(readFileSync(new URL("examples/weather.spec.yaml", REPO), "utf8"));
/** The example, and with the label as a feature and time windows (their history is the entity's whole history). */
const specs = [
  { spec: example, checked: ["month", "temp_max_lag1", "precipitation_mean_7"] },
  {
    spec: {
      ...example,
      transforms: [
        ...example.transforms,
        { kind: "lag" as const, name: "weather_lag1", column: "weather", lag: 1 },
        { kind: "lag" as const, name: "weather_lag_2d", column: "weather", lag: "2d" },
        { kind: "rollingMean" as const, name: "wind_mean_3d", column: "wind", window: "3d" },
      ],
    },
    checked: ["month", "temp_max_lag1", "weather_lag1", "weather_lag_2d", "wind_mean_3d"],
  },
];

const rows = readFileSync(new URL("node_modules/vega-datasets/data/weather.csv", REPO), "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => {
    const [location, date, precipitation, temp_max, temp_min, wind, weather] = line.trim().split(",");
    return {
      location,
      date: `${date}T00:00:00.000Z`,
      precipitation: Number(precipitation),
      temp_max: Number(temp_max),
      temp_min: Number(temp_min),
      wind: Number(wind),
      weather,
    } as Record<string, unknown>;
  })
  .filter((row) => String(row.date) >= "2015-10-01");

const stored = (row: Record<string, unknown>, seq: number): StoredRow => ({
  time: Date.parse(String(row.date)),
  seq,
  index: 0,
  values: row,
});

describe("OnlineHistory", () => {
  for (const { spec, checked } of specs) {
    const depth = historyDepth(spec.transforms);
    it(`answers new rows from memory kept current by events, as the batch computation does (${checked.join(", ")})`, async () => {
      const split = "2015-12-01T00:00:00.000Z";
      const store: StoredRow[] = rows.filter((row) => String(row.date) < split).map((row, seq) => stored(row, seq));
      let calls = 0;
      const source = {
        fetch: async (_dataset: string, entity: string, at: number): Promise<FetchedHistory> => {
          calls += 1;
          const own = store.filter((row) => row.values.location === entity).sort((a, b) => a.time - b.time);
          return {
            specRevision: 1,
            rows: reachableHistory(spec.transforms, own, at) as StoredRow[],
            latest: own.at(-1)?.time ?? null,
          };
        },
      };
      const history = new OnlineHistory(source, { maxEntities: 10, onLookup: () => undefined });
      // a request in the past gets that time's history, which is not kept: later rows exist
      const past = await history.history("weather", "Seattle", Date.parse("2015-11-15T00:00:00.000Z"), depth);
      assert.equal(past.at(-1)?.values.date, "2015-11-14T00:00:00.000Z");
      const expected = withTransforms(spec, rows);
      const fresh = rows.filter((row) => String(row.date) >= split);
      for (const row of fresh) {
        const at = Date.parse(String(row.date));
        const entity = String(row.location);
        const held = await history.history("weather", entity, at, depth);
        // a raw request does not carry its own label
        const { weather: _label, ...request } = row;
        const vector = requestFeatures(spec, held, request, at);
        const want = expected[rows.indexOf(row)] as Record<string, unknown>;
        for (const name of checked) {
          assert.ok(
            Object.is(vector[name], want[name]),
            `${entity} ${row.date} ${name}: ${vector[name]} != ${want[name]}`,
          );
        }
        const seq = store.length;
        store.push(stored(row, seq));
        const online: OnlineRow = {
          entity,
          eventTime: String(row.date),
          batchSeq: seq,
          rowIndex: 0,
          values: row as OnlineRow["values"],
        };
        history.apply({
          batchId: `b${seq}`,
          dataset: "weather",
          rowsWritten: 1,
          watermark: String(row.date),
          specRevision: 1,
          labelledRows: 1,
          online: [online],
        });
      }
      assert.equal(calls, 3, "one feature-store call per entity, and the one in the past");
    });
  }
});
