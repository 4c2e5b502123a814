import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EVENT_TYPES, type EventType, parseEvent } from "../src/index.ts";
import { set, validEvents, withData } from "./fixtures.ts";

describe("valid events", () => {
  for (const type of EVENT_TYPES) {
    test(`accepts a valid ${type} event and returns its data unchanged`, () => {
      const result = parseEvent(type, structuredClone(validEvents[type]));
      assert.deepEqual(result, { ok: true, event: validEvents[type] });
    });
  }

  const variants: { name: string; type: EventType; change: (data: Record<string, unknown>) => void }[] = [
    {
      name: "data.arrived by s3 reference",
      type: "data.arrived",
      change: set({ rows: undefined, ref: "s3://gyre-raw.eu-1/incoming/2024/05/01/part-1.csv" }),
    },
    {
      name: "data.arrived of Parquet bytes inline",
      type: "data.arrived",
      change: set({ format: "parquet", rows: undefined, rowsBase64: "UEFSMQ==" }),
    },
    {
      name: "data.arrived of gzip NDJSON by s3 reference",
      type: "data.arrived",
      change: set({
        format: "ndjson",
        compression: "gzip",
        rows: undefined,
        ref: "s3://producer-logs/2024/part-1.ndjson.gz",
      }),
    },
    {
      name: "data.arrived with json rows",
      type: "data.arrived",
      change: set({ format: "json", rows: [{ date: "2024-05-01", temp_max: 18.3, weather: null }] }),
    },
    {
      name: "data.ingested of a batch without event times",
      type: "data.ingested",
      change: set({ eventTimeMin: null, eventTimeMax: null }),
    },
    {
      name: "model.trained without a champion and with a registry version",
      type: "model.trained",
      change: set({ championMetrics: null, championVersion: null, candidateVersion: 1 }),
    },
    {
      name: "model.promoted by hand, the first version",
      type: "model.promoted",
      change: set({ previousVersion: null, actor: "ops@example.com" }),
    },
    {
      name: "drift.detected of performance without a p-value",
      type: "drift.detected",
      change: set({
        kind: "performance",
        features: [{ name: "accuracy", test: "performance", statistic: 0.11, pValue: null, threshold: 0.05 }],
        window: { source: "batches", rows: 9 },
      }),
    },
  ];
  for (const { name, type, change } of variants) {
    test(`accepts ${name}`, () => {
      const result = parseEvent(type, JSON.parse(JSON.stringify(withData(type, change))));
      assert.equal(result.ok ? "ok" : result.reason, "ok");
    });
  }
});

describe("every problem", () => {
  test("lists every problem of an event, separated by semicolons", () => {
    const result = parseEvent(
      "features.updated",
      withData("features.updated", (d) => {
        d.rowsWritten = -1;
        d.batchId = "";
      }),
    );
    assert.deepEqual(result, {
      ok: false,
      reason:
        'features.updated event is invalid: data.batchId: batchId "": ids are 1-200 characters of A-Z, a-z, 0-9, ".", "_", ":" and "-", starting with a letter or digit; data.rowsWritten: Too small: expected number to be >=0, got -1; data.labelledRows: labelledRows 9 is more than rowsWritten -1',
    });
  });
});
