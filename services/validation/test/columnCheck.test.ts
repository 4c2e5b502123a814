import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type BatchProblem, checkColumns, columnNotes } from "../src/columnCheck.ts";
import { CsvBatchError, parseCsvBatch } from "../src/csvBatch.ts";
import { everyTypeSpec } from "./specs.ts";

const fullHeader = ["date", "temp_max", "wind", "visits", "station", "holiday", "weather"];

describe("checkColumns", () => {
  const cases: { name: string; header: string[]; expected: BatchProblem[] }[] = [
    { name: "accepts a header with every column", header: fullHeader, expected: [] },
    {
      name: "accepts a header without a nullable column",
      header: fullHeader.filter((name) => name !== "wind"),
      expected: [],
    },
    { name: "accepts a header with unknown columns", header: ["location", ...fullHeader], expected: [] },
    {
      name: "reports a missing label column",
      header: fullHeader.filter((name) => name !== "weather"),
      expected: [
        {
          kind: "missing_label_column",
          column: "weather",
          reason: 'label column "weather" is missing from the header (date, temp_max, wind, visits, station, holiday)',
        },
      ],
    },
    {
      name: "reports a missing non-nullable feature column",
      header: fullHeader.filter((name) => name !== "visits"),
      expected: [
        {
          kind: "missing_column",
          column: "visits",
          reason: 'column "visits" is missing from the header, and the feature is not nullable',
        },
      ],
    },
    {
      name: "reports a duplicated header name with its positions",
      header: [...fullHeader, "temp_max"],
      expected: [
        {
          kind: "duplicate_column",
          column: "temp_max",
          reason: 'column "temp_max" appears 2 times in the header (positions 2, 8)',
        },
      ],
    },
  ];
  for (const { name, header, expected } of cases) {
    test(name, () => {
      assert.deepEqual(checkColumns(everyTypeSpec, header), expected);
    });
  }
});

describe("columnNotes", () => {
  test("names ignored columns and absent nullable columns", () => {
    const header = ["location", ...fullHeader.filter((name) => name !== "wind")];
    assert.deepEqual(columnNotes(everyTypeSpec, header), [
      "1 column(s) not in the spec were ignored: location",
      "nullable column(s) absent, read as null: wind",
    ]);
  });

  test("has nothing to say about an exact header", () => {
    assert.deepEqual(columnNotes(everyTypeSpec, fullHeader), []);
  });
});

describe("parseCsvBatch", () => {
  test("keeps a duplicated header name so that checkColumns sees it", () => {
    const batch = parseCsvBatch("date,wind,wind,weather\n2012-01-01,4.7,5.1,rain\n");
    assert.deepEqual(batch.header, ["date", "wind", "wind", "weather"]);
    assert.equal(batch.rows.length, 1);
    assert.deepEqual(
      checkColumns(everyTypeSpec, batch.header).map((problem) => [problem.kind, problem.column]),
      [
        ["missing_column", "temp_max"],
        ["missing_column", "visits"],
        ["missing_column", "station"],
        ["missing_column", "holiday"],
        ["duplicate_column", "wind"],
      ],
    );
  });

  test("keys rows by the header, strips a byte order mark and skips empty lines", () => {
    const batch = parseCsvBatch('\uFEFFdate,station\n2012-01-01,"north, upper"\n\n2012-01-02,\n');
    assert.deepEqual(batch, {
      header: ["date", "station"],
      rows: [
        { date: "2012-01-01", station: "north, upper" },
        { date: "2012-01-02", station: "" },
      ],
    });
  });

  test("reads an empty file as no header and no rows", () => {
    assert.deepEqual(parseCsvBatch(""), { header: [], rows: [] });
  });

  test("throws CsvBatchError naming the line of a row with too many fields", () => {
    assert.throws(
      () => parseCsvBatch("date,wind\n2012-01-01,4.7\n2012-01-02,4.7,extra\n"),
      (error: unknown) =>
        error instanceof CsvBatchError && /line 3/.test(error.message) && error.name === "CsvBatchError",
    );
  });

  test("throws CsvBatchError for an unclosed quote", () => {
    assert.throws(() => parseCsvBatch('date,wind\n"2012-01-01,4.7\n'), CsvBatchError);
  });
});
