import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { readDlq } from "@gyre/bus";
import { getReport } from "../src/reportQueries.ts";
import { csvOf, monthlyBatches, seattleLines, ValidationHarness } from "./harness.ts";

const harness = new ValidationHarness();
const DATASET = "seattle-odd";
const HEADER = "date,precipitation,temp_max,temp_min,wind,weather";

before(() => harness.start([DATASET]));
after(() => harness.cleanup());

/** The first ten days of 2012 under another header, each line's fields picked by `fields`. */
function tenDays(header: string, fields: (values: string[]) => string[]): string {
  const lines = (monthlyBatches().get("2012-01") ?? []).slice(0, 10);
  return csvOf(
    header,
    lines.map((line) => fields(line.split(",")).join(",")),
  );
}

async function rejection(batchId: string): Promise<{ reason: string; reportKey: string | undefined }> {
  const outcome = await harness.outcome(batchId);
  assert.equal(outcome.type, "data.rejected", `batch ${batchId} was ${outcome.type}`);
  assert.equal(outcome.id, `rejected-${batchId}`);
  return { reason: outcome.type === "data.rejected" ? outcome.data.reason : "", reportKey: outcome.data.reportKey };
}

describe("validation service, batches it cannot accept", () => {
  test("rejects a batch whose label column is missing", async () => {
    const body = tenDays("date,precipitation,temp_max,temp_min,wind", (values) => values.slice(0, 5));
    await harness.ingest(DATASET, "no-label", body);
    const { reason } = await rejection("no-label");
    assert.equal(
      reason,
      'label column "weather" is missing from the header (date, precipitation, temp_max, temp_min, wind)',
    );
    const report = await getReport(harness.pool, "no-label");
    assert.deepEqual(
      report?.anomalies.map(({ feature, kind }) => [feature, kind]),
      [
        ["weather", "missing_label_column"],
        ["weather", "label_missing"],
      ],
    );
  });

  test("rejects a batch with a duplicated header name", async () => {
    const body = tenDays(`${HEADER},wind`, (values) => [...values, values[4] ?? ""]);
    await harness.ingest(DATASET, "duplicate-header", body);
    const { reason } = await rejection("duplicate-header");
    assert.equal(reason, 'column "wind" appears 2 times in the header (positions 5, 7)');
  });

  test("rejects a malformed CSV batch as unreadable and keeps its report", async () => {
    await harness.ingest(DATASET, "bad-csv", `${HEADER}\n2012-01-01,0.0,"12.8,5.0,4.7,drizzle\n`);
    const { reason, reportKey } = await rejection("bad-csv");
    assert.match(reason, /^CSV batch is unreadable: /);
    const document = JSON.parse((await harness.store.getBuffer(reportKey ?? "")).toString("utf8"));
    assert.deepEqual(document.batchProblems, [{ kind: "unreadable", reason }]);
    assert.equal((await getReport(harness.pool, "bad-csv"))?.rowCount, 0);
  });

  test("rejects a batch whose raw object is missing", async () => {
    const { objectKey } = await harness.ingest(DATASET, "missing-object", `${HEADER}\n`, { stored: null });
    const { reason } = await rejection("missing-object");
    assert.match(reason, new RegExp(`^raw batch is missing: object "${objectKey}" not found`));
  });

  test("rejects a batch whose stored bytes do not match the sha256 of data.ingested", async () => {
    const body = tenDays(HEADER, (values) => values);
    await harness.ingest(DATASET, "tampered", body, { stored: body.replace("drizzle", "rain") });
    const { reason } = await rejection("tampered");
    assert.match(
      reason,
      /^raw batch "raw\/seattle-odd\/[0-9a-f]{64}\.csv" has SHA-256 [0-9a-f]{64}, but data\.ingested says/,
    );
  });

  test("validates an NDJSON batch with typed values", async () => {
    const rows = (monthlyBatches().get("2012-02") ?? []).slice(0, 5).map((line) => {
      const [date, precipitation, tempMax, tempMin, wind, weather] = line.split(",");
      const numbers = [precipitation, tempMax, tempMin, wind].map(Number);
      return { date, precipitation: numbers[0], temp_max: numbers[1], temp_min: numbers[2], wind: numbers[3], weather };
    });
    const body = rows.map((row) => JSON.stringify(row)).join("\n");
    await harness.ingest(DATASET, "ndjson-batch", `${body}\n`, { format: "ndjson" });
    const outcome = await harness.outcome("ndjson-batch");
    assert.equal(outcome.type, "data.validated");
    assert.deepEqual([outcome.data.rowCount, outcome.data.validRows], [5, 5]);
  });

  test("validates with the current spec when the batch's spec revision is gone, and records the one used", async () => {
    const { header, lines } = seattleLines();
    await harness.ingest(DATASET, "old-revision", csvOf(header, lines.slice(0, 20)), { specRevision: 9999 });
    const outcome = await harness.outcome("old-revision");
    assert.equal(outcome.type, "data.validated");
    assert.equal(outcome.data.specRevision, harness.revision(DATASET));
    await harness.service.waitForLog(
      (line) =>
        line.event === "spec.revision_missing" && line.batchId === "old-revision" && line.requestedRevision === 9999,
    );
  });

  test("dead-letters a batch of a dataset without a spec, and keeps validating others", async () => {
    await harness.ingest(
      "no-spec",
      "orphan",
      tenDays(HEADER, (values) => values),
      { specRevision: 1 },
    );
    const letter = await harness.poll("the dead letter of batch orphan", 20_000, async () =>
      (await readDlq(harness.bus, "validation")).find((entry) => entry.originalMsgId === "ingested-orphan"),
    );
    assert.equal(letter.kind, "permanent");
    assert.ok(
      letter.reason.endsWith(
        `batch "orphan" cannot be validated: dataset "no-spec" has no spec in namespace "${harness.namespace}": apply one first (gyre spec apply)`,
      ),
      letter.reason,
    );
    await harness.ingest(
      DATASET,
      "after-orphan",
      tenDays(HEADER, (values) => values),
    );
    assert.equal((await harness.outcome("after-orphan")).type, "data.validated");
    assert.equal(await getReport(harness.pool, "orphan"), null);
  });
});
