import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { seattleWeatherDays, seattleWeatherParquet } from "@gyre/testkit";
import {
  type RawBatchKind,
  rawBatchKindOfKey,
  readRawBatch,
  readStoredBatch,
  UnreadableBatchError,
} from "../src/rawBatch.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("rawBatchKindOfKey", () => {
  const cases: [string, { format: string; compression?: string }][] = [
    ["raw/weather/abc.csv", { format: "csv" }],
    ["raw/weather/abc.ndjson", { format: "ndjson" }],
    ["raw/weather/abc.JSON", { format: "json" }],
    ["raw/weather/abc.parquet", { format: "parquet" }],
    ["raw/weather/abc.csv.gz", { format: "csv", compression: "gzip" }],
    ["raw/weather/abc.ndjson.gz", { format: "ndjson", compression: "gzip" }],
  ];
  for (const [key, kind] of cases) {
    test(`reads ${key} as ${JSON.stringify(kind)}`, () => assert.deepEqual(rawBatchKindOfKey(key), kind));
  }

  for (const key of ["raw/weather/abc", "raw/weather/abc.gz", "raw/weather/abc.parquet.gz", "raw/weather.csv/abc"]) {
    test(`refuses ${key}, naming the extensions it knows`, () => {
      assert.throws(() => rawBatchKindOfKey(key), {
        name: "UnreadableBatchError",
        message: `raw batch "${key}": the key does not end in .csv, .ndjson or .json (each maybe with .gz), or .parquet`,
      });
    });
  }
});

describe("readRawBatch", () => {
  test("reads CSV with duplicate header names kept", () => {
    const batch = readRawBatch("csv", bytes("a,b,a\n1,2,3\n"));
    assert.deepEqual(batch.header, ["a", "b", "a"]);
    assert.equal(batch.rows.length, 1);
  });

  test("reads NDJSON rows, skipping blank lines, with the header of their keys", () => {
    const batch = readRawBatch("ndjson", bytes('{"a":1,"b":"x"}\r\n\n{"c":null}\n'));
    assert.deepEqual(batch.header, ["a", "b", "c"]);
    assert.deepEqual(batch.rows, [{ a: 1, b: "x" }, { c: null }]);
  });

  test("reads a JSON array of rows", () => {
    const batch = readRawBatch("json", bytes('[{"a":1.5},{"a":true}]'));
    assert.deepEqual(batch.rows, [{ a: 1.5 }, { a: true }]);
  });

  const unreadable: [string, "csv" | "ndjson" | "json", string | Uint8Array, RegExp][] = [
    ["an unclosed CSV quote", "csv", 'a,b\n1,"2\n', /^CSV batch is unreadable: /],
    ["a CSV row with too many fields", "csv", "a,b\n1,2,3\n", /^CSV batch is unreadable: /],
    ["bytes that are not UTF-8", "csv", new Uint8Array([0x61, 0xff, 0x0a]), /^raw batch is not UTF-8 text$/],
    ["an NDJSON line that is not JSON", "ndjson", '{"a":1}\n{a:2}\n', /^NDJSON line 2 is not valid JSON: /],
    ["an NDJSON line that is an array", "ndjson", "[1,2]\n", /^NDJSON line 1 is an array, expected an object$/],
    ["a JSON batch that is an object", "json", '{"a":1}', /^JSON batch is an object, expected an array of rows$/],
    ["a JSON row that is a number", "json", '[{"a":1},7]', /^JSON batch row 1 is a number, expected an object$/],
  ];
  for (const [what, format, body, message] of unreadable) {
    test(`refuses ${what}`, () => {
      assert.throws(
        () => readRawBatch(format, typeof body === "string" ? bytes(body) : body),
        (error: unknown) => error instanceof UnreadableBatchError && message.test(error.message),
      );
    });
  }
});

describe("readStoredBatch", () => {
  const days = seattleWeatherDays().slice(0, 40);

  test("reads a Parquet batch row group by row group: the schema's columns, timestamps as ISO strings", async () => {
    const batch = await readStoredBatch({ format: "parquet" }, seattleWeatherParquet(days, { rowGroupSize: 16 }), 1e6);
    assert.deepEqual(batch.header, ["date", "precipitation", "temp_max", "temp_min", "wind", "weather"]);
    assert.equal(batch.rows.length, 40);
    assert.deepEqual(batch.rows[0], { ...days[0], date: "2012-01-01T00:00:00.000Z" });
    assert.deepEqual(batch.rows[39], { ...days[39], date: "2012-02-09T00:00:00.000Z" });
  });

  test("reads gzip CSV as the CSV inside it", async () => {
    const batch = await readStoredBatch({ format: "csv", compression: "gzip" }, gzipSync("a,b\n1,2\n3,4\n"), 1e6);
    assert.deepEqual(batch.rows, [
      { a: "1", b: "2" },
      { a: "3", b: "4" },
    ]);
  });

  const unreadable: [string, RawBatchKind, Uint8Array, string][] = [
    [
      "a truncated Parquet file",
      { format: "parquet" },
      seattleWeatherParquet(days).subarray(0, 300),
      "Parquet batch is unreadable: parquet file invalid (footer != PAR1)",
    ],
    [
      "gzip that decompresses past the limit",
      { format: "csv", compression: "gzip" },
      gzipSync(Buffer.alloc(10_000)),
      "gzip data decompresses to more than 1000 bytes, over the limit of 1000 bytes (VALIDATION_MAX_BATCH_BYTES)",
    ],
    [
      "bytes that are not gzip",
      { format: "ndjson", compression: "gzip" },
      bytes('{"a":1}\n'),
      "gzip data is corrupt: incorrect header check (zlib Z_DATA_ERROR)",
    ],
  ];
  for (const [what, kind, body, message] of unreadable) {
    test(`refuses ${what}, naming the problem`, async () => {
      await assert.rejects(readStoredBatch(kind, body, 1000), { name: "UnreadableBatchError", message });
    });
  }
});
