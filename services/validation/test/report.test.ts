import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseCsvBatch } from "../src/csvBatch.ts";
import { buildValidationReport, headerOfRecords, unreadableBatchReport, type ValidationReport } from "../src/report.ts";
import { seattleWeatherSpec } from "./specs.ts";
import { vegaCsv } from "./vegaData.ts";

const seattle = parseCsvBatch(vegaCsv("seattle-weather.csv"));
const spec = seattleWeatherSpec(0.1);

/** The first 100 days, with the given rows broken. */
function hundredDays(broken: Record<number, Record<string, string>>): Record<string, string>[] {
  return seattle.rows.slice(0, 100).map((row, index) => ({ ...row, ...broken[index] }));
}

function assertRowsAddUp(report: ValidationReport): void {
  assert.equal(report.validRows.length + report.quarantined.length, report.rowCount);
  assert.equal(report.statistics.rowCount, report.validRows.length);
}

describe("buildValidationReport", () => {
  test("accepts a batch with 5% bad rows and quarantines exactly those rows", () => {
    const broken = {
      3: { temp_max: "NaN" },
      17: { weather: "hail" },
      42: { date: "2012-02-30" },
      60: { wind: "-1" },
      99: { precipitation: "" },
    };
    const report = buildValidationReport(spec, 4, seattle.header, hundredDays(broken));
    assert.equal(report.decision, "accept");
    assert.equal(
      report.reason,
      "invalid share 0.05 (5 of 100 rows) is within the spec's maxInvalidShare 0.1; 5 row(s) quarantined",
    );
    assert.deepEqual(
      report.quarantined.map(({ row, problems }) => [row, problems.map((problem) => [problem.column, problem.kind])]),
      [
        [3, [["temp_max", "not_finite"]]],
        [17, [["weather", "label_class"]]],
        [42, [["date", "type"]]],
        [60, [["wind", "range"]]],
        [99, [["precipitation", "null"]]],
      ],
    );
    assert.equal(report.quarantined[0]?.raw.temp_max, "NaN");
    assert.equal(report.rowCount, 100);
    assert.equal(report.invalidShare, 0.05);
    assert.equal(report.specRevision, 4);
    assertRowsAddUp(report);
  });

  test("rejects a batch with 50% bad rows, naming the share and the threshold", () => {
    const broken = Object.fromEntries(Array.from({ length: 50 }, (_, index) => [index * 2, { temp_max: "abc" }]));
    const report = buildValidationReport(spec, 4, seattle.header, hundredDays(broken));
    assert.equal(report.decision, "reject");
    assert.equal(report.reason, "invalid share 0.5 (50 of 100 rows) is above the spec's maxInvalidShare 0.1");
    assert.equal(report.quarantined.length, 50);
    assertRowsAddUp(report);
  });

  test("accepts a share equal to the threshold", () => {
    const broken = Object.fromEntries(Array.from({ length: 10 }, (_, index) => [index, { wind: "calm" }]));
    const report = buildValidationReport(spec, 4, seattle.header, hundredDays(broken));
    assert.equal(report.decision, "accept");
    assert.equal(report.invalidShare, 0.1);
  });

  test("aggregates problems per column and kind, with the first three rows as examples", () => {
    const broken = Object.fromEntries([5, 1, 9, 30].map((index) => [index, { temp_max: "Infinity" }]));
    const report = buildValidationReport(spec, 4, seattle.header, hundredDays({ ...broken, 50: { weather: "" } }));
    assert.deepEqual(
      report.anomalies.map(({ column, kind, count, examples, reason }) => ({
        column,
        kind,
        count,
        rows: examples.map((example) => example.row),
        reason,
      })),
      [
        {
          column: "temp_max",
          kind: "not_finite",
          count: 4,
          rows: [1, 5, 9],
          reason: "4 of 100 row(s): temp_max is NaN or infinite",
        },
        {
          column: "weather",
          kind: "label_missing",
          count: 1,
          rows: [50],
          reason: "1 of 100 row(s): weather has no label",
        },
      ],
    );
    assert.equal(
      report.anomalies[0]?.examples[0]?.reason,
      'temp_max "Infinity": expected a finite number, not Infinity',
    );
  });

  test("accepts every row of seattle-weather.csv with statistics over all of them", () => {
    const report = buildValidationReport(spec, 1, seattle.header, seattle.rows);
    assert.equal(report.decision, "accept");
    assert.equal(report.reason, "all 1461 rows are valid");
    assert.equal(report.statistics.rowCount, 1461);
    assert.deepEqual(report.anomalies, []);
    assert.deepEqual(report.notes, []);
  });

  test("ignores the location column of weather.csv and says so in the notes", () => {
    const weather = parseCsvBatch(vegaCsv("weather.csv"));
    const report = buildValidationReport(spec, 1, weather.header, weather.rows);
    assert.equal(report.decision, "accept");
    assert.equal(report.rowCount, 2922);
    assert.deepEqual(report.notes, ["1 column(s) not in the spec were ignored: location"]);
    assert.equal(Object.hasOwn(report.validRows[0] ?? {}, "location"), false);
    assert.equal(report.statistics.label.kind === "frequencies" && report.statistics.label.frequencies.sun, 1466);
  });

  test("rejects a batch whose label column is missing", () => {
    const header = seattle.header.filter((name) => name !== "weather");
    const rows = seattle.rows.slice(0, 10).map(({ weather: _, ...rest }) => rest);
    const report = buildValidationReport(spec, 1, header, rows);
    assert.equal(report.decision, "reject");
    assert.equal(
      report.reason,
      'label column "weather" is missing from the header (date, precipitation, temp_max, temp_min, wind)',
    );
    assert.deepEqual(
      report.batchProblems.map((problem) => problem.kind),
      ["missing_label_column"],
    );
    assertRowsAddUp(report);
  });

  test("rejects a batch with a duplicated header name", () => {
    const batch = parseCsvBatch(
      "date,precipitation,temp_max,temp_min,wind,weather,wind\n2012-01-01,0.0,12.8,5.0,4.7,drizzle,9\n",
    );
    const report = buildValidationReport(spec, 1, batch.header, batch.rows);
    assert.equal(report.decision, "reject");
    assert.equal(report.reason, 'column "wind" appears 2 times in the header (positions 5, 7)');
  });

  test("rejects an empty batch", () => {
    const report = buildValidationReport(spec, 1, seattle.header, []);
    assert.equal(report.decision, "reject");
    assert.equal(report.reason, "the batch has no data rows");
    assert.equal(report.invalidShare, 0);
    assert.equal(report.statistics.eventTimeRange, null);
  });

  test("checks JSON rows with typed values under the header of their keys", () => {
    const rows = [
      { date: "2012-01-01", precipitation: 0, temp_max: 12.8, temp_min: 5, wind: 4.7, weather: "drizzle" },
      { date: "2012-01-02", precipitation: 10.9, temp_max: Number.NaN, temp_min: 2.8, wind: 4.5, weather: "rain" },
    ];
    const report = buildValidationReport(spec, 1, headerOfRecords(rows), rows);
    assert.deepEqual(report.validRows, [{ ...rows[0], date: "2012-01-01T00:00:00.000Z" }]);
    assert.deepEqual(
      report.quarantined.map((row) => row.row),
      [1],
    );
    assert.equal(report.decision, "reject");
  });
});

describe("unreadableBatchReport", () => {
  test("rejects with the reader's reason and no rows", () => {
    const report = unreadableBatchReport(spec, 2, "CSV batch is unreadable: Quote Not Closed");
    assert.deepEqual(
      [report.decision, report.reason, report.rowCount, report.batchProblems[0]?.kind],
      ["reject", "CSV batch is unreadable: Quote Not Closed", 0, "unreadable"],
    );
  });
});
