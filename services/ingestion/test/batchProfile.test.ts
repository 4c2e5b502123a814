import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { describe, test } from "node:test";
import type { BatchFormat } from "@gyre/contracts";

/** The formats profileBatch reads; Parquet has a reader of its own. */
type TextFormat = Exclude<BatchFormat, "parquet">;

import { type BatchProfile, profileBatch } from "../src/batchProfile.ts";
import { BatchRejectedError, type RejectionKind } from "../src/rejection.ts";

const options = { eventTime: "date", maxRows: 5 };

/** The bytes in chunks of `chunkSize`, so characters and lines straddle chunk boundaries. */
function chunked(bytes: Buffer, chunkSize = 3): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize) chunks.push(bytes.subarray(at, at + chunkSize));
  return Readable.from(chunks);
}

/** Inline batches are read from memory (plain CSV without a parser), the others as a stream: both ways agree. */
const WAYS = [
  { way: "as a stream", read: (bytes: Buffer) => chunked(bytes) },
  { way: "held in memory", read: (bytes: Buffer) => bytes },
];

const profileWith = (read: (bytes: Buffer) => Buffer | Readable, format: TextFormat, text: string | Buffer) =>
  profileBatch(format, read(Buffer.isBuffer(text) ? text : Buffer.from(text)), options);

describe("profileBatch reads row count and event-time range", () => {
  const cases: { name: string; format: TextFormat; text: string | Buffer; expected: BatchProfile }[] = [
    {
      name: "CSV with ISO dates, unordered",
      format: "csv",
      text: "date,t\n2012-01-03,1\n2012-01-01,2\n2012-01-02,3\n",
      expected: { rowCount: 3, eventTimeMin: "2012-01-01T00:00:00.000Z", eventTimeMax: "2012-01-03T00:00:00.000Z" },
    },
    {
      name: "CSV with a byte order mark, CRLF, quoted newline and a multi-byte character across chunks",
      format: "csv",
      text: '\ufeffdate,note\r\n2012-01-01T10:00:00+02:00,"a\nb"\r\n2012-01-02,"ünïcødé"\r\n',
      expected: { rowCount: 2, eventTimeMin: "2012-01-01T08:00:00.000Z", eventTimeMax: "2012-01-02T00:00:00.000Z" },
    },
    {
      name: "plain CSV with blank lines, toISOString times and no final newline",
      format: "csv",
      text: "t,date\n\n1,2012-01-02T00:00:00.000Z\n\n2,2012-01-31T23:59:59.999Z\n3,2012-01-01T10:00:00.000Z",
      expected: { rowCount: 3, eventTimeMin: "2012-01-01T10:00:00.000Z", eventTimeMax: "2012-01-31T23:59:59.999Z" },
    },
    {
      name: "CSV without the event-time column",
      format: "csv",
      text: "x,y\n1,2\n",
      expected: { rowCount: 1, eventTimeMin: null, eventTimeMax: null },
    },
    {
      name: "CSV whose event times are unreadable (validation's business)",
      format: "csv",
      text: "date\nyesterday\n2023-02-30\n",
      expected: { rowCount: 2, eventTimeMin: null, eventTimeMax: null },
    },
    {
      name: "NDJSON with blank lines and no final newline",
      format: "ndjson",
      text: '{"date":"2012-01-02"}\n\n{"date":"2012-01-01","x":1}\r\n{"x":2}',
      expected: { rowCount: 3, eventTimeMin: "2012-01-01T00:00:00.000Z", eventTimeMax: "2012-01-02T00:00:00.000Z" },
    },
    {
      name: "JSON array",
      format: "json",
      text: '[{"date":"2015-12-31"},{"date":null},{"date":"2015-01-01"}]',
      expected: { rowCount: 3, eventTimeMin: "2015-01-01T00:00:00.000Z", eventTimeMax: "2015-12-31T00:00:00.000Z" },
    },
  ];
  for (const { way, read } of WAYS) {
    for (const { name, format, text, expected } of cases) {
      test(`${name} (${way})`, async () => assert.deepEqual(await profileWith(read, format, text), expected));
    }
  }
});

describe("profileBatch rejects unreadable batches with a reason", () => {
  const cases: { name: string; format: TextFormat; text: string | Buffer; kind: RejectionKind; reason: RegExp }[] = [
    {
      name: "an unclosed quote",
      format: "csv",
      text: 'date,note\n2012-01-01,ok\n2012-01-02,"never closed\n',
      kind: "malformed_csv",
      reason: /Quote Not Closed.*\(the quote opens in record 3,/,
    },
    {
      name: "a row with more fields than the header",
      format: "csv",
      text: "date,t\n2012-01-01,1\n2012-01-02,2,3\n",
      kind: "malformed_csv",
      reason: /Invalid Record Length.*line 3/,
    },
    {
      name: "a duplicated header",
      format: "csv",
      text: "date,t,t\n2012-01-01,1,2\n",
      kind: "duplicate_header",
      reason: /column "t" twice \(again as column 3\)/,
    },
    {
      name: "a byte that is not UTF-8",
      format: "csv",
      text: Buffer.concat([Buffer.from("date,t\n2012-01-01,ab"), Buffer.from([0xff]), Buffer.from("\n")]),
      kind: "not_utf8",
      reason: /byte offset 20\b/,
    },
    {
      name: "a UTF-8 sequence cut short by a byte that cannot continue it",
      format: "ndjson",
      text: Buffer.concat([Buffer.from('{"a":"é'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]),
      kind: "not_utf8",
      reason: /byte offset 8\b/,
    },
    {
      name: "a batch that ends inside a UTF-8 sequence",
      format: "ndjson",
      text: Buffer.concat([Buffer.from('{"a":1}\n'), Buffer.from([0xe2, 0x82])]),
      kind: "not_utf8",
      reason: /byte offset 8\b/,
    },
    { name: "a CSV header without rows", format: "csv", text: "date,t\n", kind: "empty", reason: /no rows/ },
    { name: "an NDJSON batch of blank lines", format: "ndjson", text: "\n \n", kind: "empty", reason: /no rows/ },
    { name: "an empty JSON array", format: "json", text: "[]", kind: "empty", reason: /no rows/ },
    {
      name: "an NDJSON line that is not JSON",
      format: "ndjson",
      text: '{"date":"2012-01-01"}\n{"date":\n',
      kind: "malformed_ndjson",
      reason: /NDJSON line 2 is not JSON/,
    },
    {
      name: "an NDJSON line that is not an object",
      format: "ndjson",
      text: '{"a":1}\n\n[1,2]\n',
      kind: "malformed_ndjson",
      reason: /NDJSON line 3 is an array/,
    },
    {
      name: "a JSON batch that is not an array",
      format: "json",
      text: '{"date":"2012-01-01"}',
      kind: "malformed_json",
      reason: /is an object; send an array/,
    },
    {
      name: "a JSON array holding a non-object",
      format: "json",
      text: '[{"a":1},"b"]',
      kind: "malformed_json",
      reason: /row 2 is a string/,
    },
    {
      name: "more rows than INGEST_MAX_ROWS",
      format: "csv",
      text: `date\n${"2012-01-01\n".repeat(6)}`,
      kind: "too_many_rows",
      reason: /more than 5 rows \(INGEST_MAX_ROWS\)/,
    },
  ];
  for (const { way, read } of WAYS) {
    for (const { name, format, text, kind, reason } of cases) {
      test(`${name} (${way})`, async () => {
        await assert.rejects(profileWith(read, format, text), (error: unknown) => {
          assert.ok(error instanceof BatchRejectedError, `expected BatchRejectedError, got ${String(error)}`);
          assert.equal(error.kind, kind);
          assert.match(error.message, reason);
          return true;
        });
      });
    }
  }
});
