import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { getQuarantinedRows, getReport, listReports } from "../src/reportQueries.ts";
import { csvOf, monthlyBatches, seattleLines, ValidationHarness } from "./harness.ts";

const harness = new ValidationHarness();
const MONTHLY = "seattle-monthly";
const CORRUPTED = "seattle-corrupted";

before(() => harness.start([MONTHLY, CORRUPTED]));
after(() => harness.cleanup());

/** Replaces fields of one CSV line: `{ 2: "NaN" }` sets temp_max. */
function corrupt(line: string, fields: Record<number, string>): string {
  return line
    .split(",")
    .map((value, index) => fields[index] ?? value)
    .join(",");
}

const TEMP_MAX = 2;
const WIND = 4;
const WEATHER = 5;

describe("validation service", () => {
  test("validates all 48 monthly batches of seattle-weather.csv, and their rows add up", async () => {
    const { header } = seattleLines();
    const months = monthlyBatches();
    assert.equal(months.size, 48);
    for (const [month, lines] of months) await harness.ingest(MONTHLY, `seattle-${month}`, csvOf(header, lines));

    const sent = [...months.values()].reduce((sum, lines) => sum + lines.length, 0);
    const outcomes = await harness.until("48 monthly outcomes", 40_000, () => {
      const found = harness.outcomes.filter((outcome) => outcome.data.dataset === MONTHLY);
      return found.length === 48 ? found : undefined;
    });
    assert.deepEqual(new Set(outcomes.map((outcome) => outcome.type)), new Set(["data.validated"]));
    const totals = outcomes.reduce(
      (sum, { data }) => ({ valid: sum.valid + data.validRows, quarantined: sum.quarantined + data.invalidRows }),
      { valid: 0, quarantined: 0 },
    );
    assert.equal(sent, 1461);
    assert.equal(totals.valid + totals.quarantined, sent);
    assert.equal(totals.quarantined, 0);
    assert.deepEqual(
      outcomes.map((outcome) => outcome.id).sort(),
      [...months.keys()].map((month) => `validated-seattle-${month}`).sort(),
    );

    const stored = await listReports(harness.pool, MONTHLY, { limit: 100 });
    assert.equal(stored.length, 48);
    assert.equal(
      stored.reduce((sum, report) => sum + report.validRows, 0),
      1461,
    );
    assert.deepEqual(await listReports(harness.pool, MONTHLY, { decision: "reject" }), []);
  });

  test("stores statistics of a month that match values computed from its rows", async () => {
    const lines = monthlyBatches().get("2014-07") ?? [];
    const tempMax = lines.map((line) => Number(line.split(",")[TEMP_MAX]));
    const expected = {
      mean: tempMax.reduce((sum, value) => sum + value, 0) / tempMax.length,
      min: Math.min(...tempMax),
      max: Math.max(...tempMax),
    };
    const outcome = await harness.outcome("seattle-2014-07");
    const report = await getReport(harness.pool, "seattle-2014-07");
    assert.ok(report);
    for (const statistics of [outcome.data.statistics.temp_max, report.statistics.temp_max]) {
      assert.ok(statistics);
      assert.equal(statistics.kind, "numeric");
      assert.equal(statistics.count, 31);
      for (const name of ["mean", "min", "max"] as const) {
        assert.ok(Math.abs(Number(statistics[name]) - expected[name]) <= 1e-9, `${name}: ${statistics[name]}`);
      }
    }
    assert.deepEqual(report.statistics, outcome.data.statistics);
    assert.equal(report.specRevision, harness.revision(MONTHLY));
    assert.equal(outcome.data.statistics.date?.min, "2014-07-01T00:00:00.000Z");
    const weather = outcome.data.statistics.weather;
    assert.equal(
      Object.values(weather?.categories ?? {}).reduce((sum, count) => sum + count, 0),
      31,
    );
  });

  test("writes the valid rows, typed, as NDJSON at the rowsKey of data.validated", async () => {
    const outcome = await harness.outcome("seattle-2012-01");
    assert.equal(outcome.type, "data.validated");
    assert.equal(
      outcome.type === "data.validated" && outcome.data.rowsKey,
      `validated/${MONTHLY}/seattle-2012-01.ndjson`,
    );
    const ndjson = (await harness.store.getBuffer(`validated/${MONTHLY}/seattle-2012-01.ndjson`)).toString("utf8");
    const rows = ndjson
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(rows.length, 31);
    assert.deepEqual(rows[0], {
      date: "2012-01-01T00:00:00.000Z",
      precipitation: 0,
      temp_max: 12.8,
      temp_min: 5,
      wind: 4.7,
      weather: "drizzle",
    });
    const document = JSON.parse((await harness.store.getBuffer(outcome.data.reportKey ?? "")).toString("utf8"));
    assert.equal(outcome.data.reportKey, `reports/${MONTHLY}/seattle-2012-01.json`);
    assert.deepEqual([document.batchId, document.decision, document.rowCount], ["seattle-2012-01", "accept", 31]);
  });

  test("quarantines exactly the corrupted rows of a batch, with their reasons, and validates the rest", async () => {
    const { header } = seattleLines();
    const lines = [...(monthlyBatches().get("2013-03") ?? [])];
    lines[4] = corrupt(lines[4] ?? "", { [TEMP_MAX]: "NaN" });
    lines[11] = corrupt(lines[11] ?? "", { [WEATHER]: "hail" });
    lines[20] = corrupt(lines[20] ?? "", { [WIND]: "55.5" });
    await harness.ingest(CORRUPTED, "corrupted-2013-03", csvOf(header, lines));

    const outcome = await harness.outcome("corrupted-2013-03");
    assert.equal(outcome.type, "data.validated");
    assert.deepEqual([outcome.data.rowCount, outcome.data.validRows, outcome.data.invalidRows], [31, 28, 3]);
    assert.deepEqual(
      outcome.data.anomalies.map(({ feature, kind, count, example }) => ({ feature, kind, count, example })),
      [
        { feature: "temp_max", kind: "not_finite", count: 1, example: "NaN" },
        { feature: "weather", kind: "label_class", count: 1, example: "hail" },
        { feature: "wind", kind: "range", count: 1, example: "55.5" },
      ],
    );
    const quarantined = await getQuarantinedRows(harness.pool, "corrupted-2013-03");
    assert.deepEqual(
      quarantined.map(({ rowIndex, problems }) => [rowIndex, problems.map((problem) => problem.reason)]),
      [
        [4, ['temp_max "NaN": expected a finite number, not NaN']],
        [11, ['weather "hail": not one of the label classes drizzle, fog, rain, snow, sun']],
        [20, ['wind "55.5": above the maximum 40']],
      ],
    );
    assert.equal(quarantined[1]?.raw.weather, "hail");
    const ndjson = (await harness.store.getBuffer(`validated/${CORRUPTED}/corrupted-2013-03.ndjson`)).toString();
    assert.equal(ndjson.trimEnd().split("\n").length, 28);
  });

  test("rejects a batch with more invalid rows than maxInvalidShare, naming the share and the threshold", async () => {
    const { header } = seattleLines();
    const lines = (monthlyBatches().get("2015-02") ?? []).map((line, index) =>
      index < 10 ? corrupt(line, { [TEMP_MAX]: "warm" }) : line,
    );
    await harness.ingest(CORRUPTED, "corrupted-2015-02", csvOf(header, lines));

    const outcome = await harness.outcome("corrupted-2015-02");
    assert.equal(outcome.type, "data.rejected");
    assert.equal(outcome.id, "rejected-corrupted-2015-02");
    assert.equal(
      outcome.type === "data.rejected" && outcome.data.reason,
      "invalid share 0.3571 (10 of 28 rows) is above the spec's maxInvalidShare 0.1",
    );
    assert.equal("rowsKey" in outcome.data, false);
    assert.equal(await harness.store.exists(`validated/${CORRUPTED}/corrupted-2015-02.ndjson`), false);
    const report = await getReport(harness.pool, "corrupted-2015-02");
    assert.deepEqual([report?.decision, report?.invalidRows], ["reject", 10]);
    assert.equal((await getQuarantinedRows(harness.pool, "corrupted-2015-02")).length, 10);
  });

  test("stores one report and one set of quarantined rows when data.ingested is delivered twice", async () => {
    const { header } = seattleLines();
    const lines = [...(monthlyBatches().get("2012-06") ?? [])];
    lines[0] = corrupt(lines[0] ?? "", { [WEATHER]: "" });
    const body = csvOf(header, lines);
    await harness.ingest(CORRUPTED, "twice-2012-06", body, { eventId: "ingested-twice-a" });
    await harness.outcome("twice-2012-06");
    await harness.ingest(CORRUPTED, "twice-2012-06", body, { eventId: "ingested-twice-b" });
    await harness.service.waitForLog(
      (line) => line.event === "batch.already_validated" && line.batchId === "twice-2012-06",
    );

    const counts = await harness.pool.query<{ reports: number; quarantined: number }>(
      `SELECT (SELECT count(*)::int FROM reports WHERE batch_id = $1) AS reports,
              (SELECT count(*)::int FROM quarantined_rows WHERE batch_id = $1) AS quarantined`,
      ["twice-2012-06"],
    );
    assert.deepEqual(counts.rows[0], { reports: 1, quarantined: 1 });
    assert.equal(harness.outcomes.filter((outcome) => outcome.data.batchId === "twice-2012-06").length, 1);
    const validated = harness.service.logs.filter(
      (line) => line.event === "batch.validated" && line.batchId === "twice-2012-06",
    );
    assert.equal(validated.length, 1);
  });

  test("counts batches and rows per dataset in its metrics", async () => {
    const metrics = await harness.metrics();
    const value = (series: string) =>
      Number(new RegExp(`^${series.replace(/[{}]/g, "\\$&")} (\\S+)$`, "m").exec(metrics)?.[1] ?? Number.NaN);
    assert.equal(
      value(`gyre_validation_batches_total{dataset="${MONTHLY}",outcome="validated",service="validation"}`),
      48,
    );
    assert.equal(value(`gyre_validation_rows_total{dataset="${MONTHLY}",outcome="valid",service="validation"}`), 1461);
    assert.equal(
      value(`gyre_validation_batches_total{dataset="${CORRUPTED}",outcome="rejected",service="validation"}`),
      1,
    );
    assert.equal(
      value(`gyre_validation_rows_total{dataset="${CORRUPTED}",outcome="quarantined",service="validation"}`),
      3 + 10 + 1,
    );
  });
});
