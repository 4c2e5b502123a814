import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { rawBatchKindOfKey, readRawBatch, UnreadableBatchError } from "../src/rawBatch.ts";

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
