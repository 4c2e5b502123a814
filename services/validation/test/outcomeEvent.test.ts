import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseEvent } from "@gyre/contracts";
import { outcomeEvent, outcomeEventId } from "../src/outcomeEvent.ts";
import type { StoredReport } from "../src/reportQueries.ts";
import { batchObjectKeys } from "../src/validateBatch.ts";

const stored: StoredReport = {
  batchId: "weather-2012-01",
  dataset: "weather",
  sha256: "c".repeat(64),
  specRevision: 4,
  decision: "accept",
  reason: "all 2 rows are valid",
  rowCount: 2,
  validRows: 2,
  invalidRows: 0,
  statistics: { wind: { kind: "numeric", count: 2, nullCount: 0, nullShare: 0, mean: 1, min: 1, max: 1 } },
  anomalies: [],
  notes: [],
  reportKey: "reports/weather/weather-2012-01.json",
  rowsKey: "validated/weather/weather-2012-01.ndjson",
  createdAt: "2026-01-02T03:04:05.678Z",
};

describe("outcomeEvent", () => {
  test("makes data.validated with the rowsKey, the stored time and a deterministic id", () => {
    const event = outcomeEvent(stored);
    const parsed = parseEvent("data.validated", JSON.parse(JSON.stringify(event)));
    assert.equal(parsed.ok, true, parsed.ok ? "" : parsed.reason);
    assert.deepEqual(
      [event.type, event.id, event.time],
      ["data.validated", "validated-weather-2012-01", stored.createdAt],
    );
    assert.equal(event.data.rowsKey, stored.rowsKey);
    assert.deepEqual(outcomeEvent(stored), event);
  });

  test("makes data.rejected with the reason and no rowsKey", () => {
    const event = outcomeEvent({ ...stored, decision: "reject", reason: "invalid share 0.5", rowsKey: null });
    const parsed = parseEvent("data.rejected", JSON.parse(JSON.stringify(event)));
    assert.equal(parsed.ok, true, parsed.ok ? "" : parsed.reason);
    assert.equal(event.id, "rejected-weather-2012-01");
    assert.equal(event.type === "data.rejected" && event.data.reason, "invalid share 0.5");
    assert.equal("rowsKey" in event.data, false);
  });
});

describe("outcomeEventId", () => {
  test("hashes a batch id too long for an event id, deterministically", () => {
    const long = "b".repeat(195);
    const id = outcomeEventId("validated", long);
    assert.match(id, /^validated-sha256-[0-9a-f]{64}$/);
    assert.equal(outcomeEventId("validated", long), id);
    assert.equal(outcomeEventId("rejected", "b".repeat(190)), `rejected-${"b".repeat(190)}`);
  });
});

describe("batchObjectKeys", () => {
  test("puts the report and the rows under the dataset, with ':' of a batch id as '~'", () => {
    assert.deepEqual(batchObjectKeys({ dataset: "weather", batchId: "weather:2012-01" }), {
      reportKey: "reports/weather/weather~2012-01.json",
      rowsKey: "validated/weather/weather~2012-01.ndjson",
    });
  });
});
