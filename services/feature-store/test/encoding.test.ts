import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ndjsonRowChunks, RowEncoder } from "../src/batchRows.ts";
import { BinaryCopyWriter } from "../src/copyRows.ts";
import { tableLayout } from "../src/layout.ts";
import { utcTimestampText } from "../src/pgValues.ts";
import { rowChunk } from "../src/rowChunks.ts";
import { weatherSpec } from "./weather.ts";

describe("BinaryCopyWriter converts values the way COPY's text input would read them", () => {
  const columns = [
    { name: "d", type: "double precision" },
    { name: "i", type: "bigint" },
    { name: "b", type: "boolean" },
    { name: "t", type: "timestamptz" },
    { name: "s", type: "text" },
  ] as const;
  const bytes = (values: unknown[]) => {
    const writer = new BinaryCopyWriter(columns);
    writer.take();
    writer.row(values);
    return writer.take().toString("hex");
  };
  test("a row is its field count, then each field's length and bytes; null is length -1", () => {
    const expected = [
      "0005",
      "00000008",
      Buffer.from(new Float64Array([12.5]).buffer)
        .reverse()
        .toString("hex"),
      "00000008",
      "0000000000000007",
      "00000001",
      "01",
      "00000008",
      // 2000-01-01T00:00:01.000Z: one second after PostgreSQL's epoch, in microseconds
      (1_000_000).toString(16).padStart(16, "0"),
      "ffffffff",
    ].join("");
    assert.equal(bytes([12.5, 7, true, "2000-01-01T00:00:01.000Z", null]), expected);
  });
  test("numeric strings, integer strings and boolean words are read as COPY's text input reads them", () => {
    assert.equal(
      bytes(["12.5", "7", "yes", "2000-01-01T00:00:01.000Z", 3]),
      bytes([12.5, 7, true, "2000-01-01T00:00:01.000Z", "3"]),
    );
  });
  test("a timestamp is its microseconds since 2000-01-01, the instant Date.parse reads", () => {
    const writer = new BinaryCopyWriter([{ name: "t", type: "timestamptz" }]);
    writer.take();
    for (const text of [
      "1969-12-31T23:59:59.999Z",
      "2000-02-29T12:00:00.001Z",
      "2024-12-31T23:59:59.999Z",
      "2100-03-01T00:00:00.000Z",
      "2012-01-31T08:00:00+02:00",
    ]) {
      writer.row([text]);
      const micros = writer.take().readBigInt64BE(6);
      assert.equal(micros, BigInt(Date.parse(text) - Date.UTC(2000, 0, 1)) * 1000n, text);
    }
  });
  test("a value its column cannot hold throws, naming the column, the type and the value", () => {
    const writer = new BinaryCopyWriter(columns);
    assert.throws(() => writer.row(["warm", 1, true, null, null]), {
      name: "CopyValueError",
      message: 'column "d": invalid input syntax for type double precision: "warm"',
    });
    assert.throws(
      () => writer.row([1, 1.5, true, null, null]),
      /column "i": invalid input syntax for type bigint: "1.5"/,
    );
    assert.throws(() => writer.row([1, 1, "maybe", null, null]), /column "b": .*boolean: "maybe"/);
    assert.throws(() => writer.row([1, 1, true, "soon", null]), /column "t": .*timestamp with time zone: "soon"/);
  });
});

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

async function* chunks(...parts: string[]) {
  yield* parts;
}

describe("ndjsonRowChunks parses lines as they stream in, the rows of each chunk together", () => {
  test("lines split across chunks, blank lines and a last line without a newline", async () => {
    const rows = await collect(ndjsonRowChunks(chunks('{"a":1}\n{"b":1}\n{"a"', ":2}\n\n", '{"a":3}'), "s3://b/k"));
    assert.deepEqual(rows, [[{ a: 1 }, { b: 1 }], [{ a: 2 }], [{ a: 3 }]]);
  });
  test("a line that is not a JSON object is named by its number", async () => {
    await assert.rejects(
      collect(ndjsonRowChunks(chunks('{"a":1}\n\n[1,2]\n'), "s3://b/k")),
      /s3:\/\/b\/k line 3: expected a JSON object/,
    );
    await assert.rejects(
      collect(ndjsonRowChunks(chunks('{"a":1}\n{oops\n'), "s3://b/k")),
      /s3:\/\/b\/k line 2: not JSON/,
    );
  });
});

describe("RowEncoder puts rows in the offline table's shape", () => {
  const layout = tableLayout(weatherSpec("weather"));
  const row = {
    location: "Seattle",
    date: "2012-03-05",
    precipitation: 1.5,
    temp_max: 10,
    temp_min: 2,
    wind: 3,
    weather: "rain",
  };
  test("event time, entity key, then features, write-time transforms and label", () => {
    const encoder = new RowEncoder(layout);
    assert.deepEqual(encoder.encode(row), [
      "2012-03-05T00:00:00.000Z",
      "Seattle",
      "Seattle",
      "2012-03-05T00:00:00.000Z",
      1.5,
      10,
      2,
      3,
      3,
      "rain",
    ]);
    encoder.encode({ ...row, date: "2012-03-04T00:00:00Z", weather: null });
    assert.deepEqual([encoder.rows, encoder.labelledRows, encoder.maxEventTime], [2, 1, "2012-03-05T00:00:00.000Z"]);
    assert.deepEqual(encoder.latestByEntity.get("Seattle"), { eventTime: "2012-03-05T00:00:00.000Z", index: 0 });
  });
  test("a row without an event time fails with its position", () => {
    const encoder = new RowEncoder(layout);
    encoder.encode(row);
    assert.throws(() => encoder.encode({ ...row, date: null }), /row 1: event time column "date" is empty/);
  });
});

describe("utcTimestampText turns PostgreSQL's UTC text into toISOString form", () => {
  const cases = [
    { text: "2012-01-01 00:00:00+00", expected: "2012-01-01T00:00:00.000Z" },
    { text: "2012-01-01 08:15:30.5+00", expected: "2012-01-01T08:15:30.500Z" },
    { text: "2012-01-01 08:15:30.123456+00", expected: "2012-01-01T08:15:30.123Z" },
    { text: "2012-01-01 02:00:00+02", expected: "2012-01-01T00:00:00.000Z" },
  ];
  for (const { text, expected } of cases) {
    test(text, () => assert.equal(utcTimestampText(text), expected));
  }
});

describe("rowChunk encodes rows column by column", () => {
  test("typed arrays, nulls listed with placeholders, holdout from the train row count", () => {
    const chunk = rowChunk(
      [
        ["2012-01-01T00:00:00.000Z", 1.5, "rain", true],
        ["2012-01-02T00:00:00.000Z", null, null, null],
      ],
      [
        { position: 0, type: "COLUMN_TYPE_TIMESTAMP" },
        { position: 1, type: "COLUMN_TYPE_DOUBLE" },
        { position: 2, type: "COLUMN_TYPE_STRING" },
        { position: 3, type: "COLUMN_TYPE_BOOL" },
      ],
      10,
      11,
    );
    assert.deepEqual(chunk, {
      first_row: 10,
      row_count: 2,
      holdout: [false, true],
      columns: [
        { numbers: [], strings: ["2012-01-01T00:00:00.000Z", "2012-01-02T00:00:00.000Z"], bools: [], null_rows: [] },
        { numbers: [1.5, 0], strings: [], bools: [], null_rows: [1] },
        { numbers: [], strings: ["rain", ""], bools: [], null_rows: [1] },
        { numbers: [], strings: [], bools: [true, false], null_rows: [1] },
      ],
    });
  });
});
