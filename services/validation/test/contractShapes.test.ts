import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { dataRejectedSchema, dataValidatedSchema } from "@gyre/contracts";
import { eventAnomalies, eventReason, eventStatistics } from "../src/contractShapes.ts";
import { parseCsvBatch } from "../src/csvBatch.ts";
import { buildValidationReport, type ValidationReport } from "../src/report.ts";
import { seattleWeatherSpec } from "./specs.ts";
import { vegaCsv } from "./vegaData.ts";

const seattle = parseCsvBatch(vegaCsv("seattle-weather.csv"));
const spec = seattleWeatherSpec(0.1);

function reportOf(broken: Record<number, Record<string, string>>): ValidationReport {
  const rows = seattle.rows.slice(0, 60).map((row, index) => ({ ...row, ...broken[index] }));
  return buildValidationReport(spec, 3, seattle.header, rows);
}

function eventData(report: ValidationReport) {
  return {
    batchId: "b1",
    dataset: "weather",
    sha256: "a".repeat(64),
    specRevision: 3,
    rowCount: report.rowCount,
    validRows: report.validRows.length,
    invalidRows: report.quarantined.length,
    statistics: eventStatistics(report.statistics, spec.label.name),
    anomalies: eventAnomalies(report),
  };
}

describe("eventStatistics", () => {
  test("maps every feature and the label into the contract's shapes", () => {
    const statistics = eventStatistics(reportOf({}).statistics, spec.label.name);
    assert.deepEqual(Object.keys(statistics), ["date", "precipitation", "temp_max", "temp_min", "wind", "weather"]);
    assert.deepEqual(Object.keys(statistics.temp_max?.quantiles ?? {}), ["p05", "p25", "p50", "p75", "p95"]);
    assert.deepEqual(
      [statistics.date?.kind, statistics.date?.min, statistics.date?.max],
      ["timestamp", "2012-01-01T00:00:00.000Z", "2012-02-29T00:00:00.000Z"],
    );
    assert.equal(statistics.weather?.kind, "frequencies");
    assert.deepEqual(Object.keys(statistics.weather?.categories ?? {}), ["drizzle", "fog", "rain", "snow", "sun"]);
    assert.equal(dataValidatedSchema.safeParse(eventData(reportOf({}))).success, true);
  });

  test("gives null for a mean that overflows, since the contract has no Infinity", () => {
    const huge = { date: "2012-01-01", precipitation: 1e308, temp_max: 1, temp_min: 1, wind: 1, weather: "sun" };
    const report = buildValidationReport(seattleWeatherSpec(), 1, Object.keys(huge), [huge, huge]);
    assert.equal(eventStatistics(report.statistics, "weather").precipitation?.mean, null);
  });
});

describe("eventAnomalies", () => {
  test("maps row anomalies with their first value as the example", () => {
    const report = reportOf({ 2: { wind: "-1" }, 7: { wind: "-2" }, 9: { weather: "hail" } });
    assert.deepEqual(eventAnomalies(report), [
      {
        feature: "wind",
        kind: "range",
        reason: "2 of 60 row(s): wind is outside the allowed range [0, ∞]",
        count: 2,
        example: "-1",
      },
      {
        feature: "weather",
        kind: "label_class",
        reason: "1 of 60 row(s): weather is not one of the label classes",
        count: 1,
        example: "hail",
      },
    ]);
    assert.equal(dataValidatedSchema.safeParse(eventData(report)).success, true);
  });

  test("puts problems of the whole batch first, counting every row", () => {
    const header = seattle.header.filter((name) => name !== "weather");
    const { weather: _, ...row } = seattle.rows[0] ?? {};
    const report = buildValidationReport(spec, 1, header, [{ ...row, wind: "x" }]);
    assert.deepEqual(
      eventAnomalies(report).map(({ feature, kind, count }) => [feature, kind, count]),
      [
        ["weather", "missing_label_column", 1],
        ["weather", "label_missing", 1],
        ["wind", "type", 1],
      ],
    );
    assert.equal(dataRejectedSchema.safeParse({ ...eventData(report), reason: report.reason }).success, true);
  });

  test("keeps at most 1000 anomalies", () => {
    const anomaly = { column: "wind", kind: "range" as const, count: 1, examples: [], reason: "r" };
    const report = { ...reportOf({}), anomalies: Array.from({ length: 1200 }, () => anomaly) };
    assert.equal(eventAnomalies(report).length, 1000);
  });
});

describe("eventReason", () => {
  test("cuts a reason to the contract's 2000 characters", () => {
    assert.equal(eventReason("x".repeat(1999)).length, 1999);
    const cut = eventReason("x".repeat(5000));
    assert.equal(cut.length, 2000);
    assert.ok(cut.endsWith("…"));
  });
});
