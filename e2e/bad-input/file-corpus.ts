/**
 * Bad files a producer may send as data.arrived: Parquet and gzip that are truncated, damaged, a bomb, or well made
 * but of the wrong schema. Each says what must become of it: a dead letter from ingestion of a rejection kind, or a
 * data.rejected from validation, with a reason that names the problem.
 */

import { gzipSync } from "node:zlib";
import type { DataArrived } from "@gyre/contracts";
import { type SeattleDay, seattleWeatherDays, seattleWeatherParquet } from "@gyre/testkit";
import { parquetWriteBuffer } from "hyparquet-writer";

export type FileOutcome = { via: "dlq"; kind: string; reason: RegExp } | { via: "rejected"; reason: RegExp };

export interface BadFile {
  name: string;
  arrival: DataArrived;
  /** An object to put in the test's bucket first, for arrivals by reference. */
  object?: { key: string; bytes: Buffer };
  expected: FileOutcome;
}

const csvOf = (days: readonly SeattleDay[], header = "date,precipitation,temp_max,temp_min,wind,weather") =>
  `${header}\n${days.map((d) => [d.date, d.precipitation, d.temp_max, d.temp_min, d.wind, d.weather].join(",")).join("\n")}\n`;

/** Days of January 2012 as Parquet with other column names and types than the spec's. */
function parquetOfWrongSchema(days: readonly SeattleDay[], names: { date: string; temp_max: string }): Buffer {
  return Buffer.from(
    parquetWriteBuffer({
      columnData: [
        { name: names.date, data: days.map((day) => new Date(`${day.date}T00:00:00Z`)), type: "TIMESTAMP" },
        { name: "precipitation", data: days.map((day) => day.precipitation), type: "DOUBLE" },
        { name: names.temp_max, data: days.map((day) => `${day.temp_max} °C`), type: "STRING" },
        { name: "temp_min", data: days.map((day) => day.temp_min), type: "DOUBLE" },
        { name: "wind", data: days.map((day) => day.wind), type: "DOUBLE" },
        { name: "weather", data: days.map((day) => day.weather), type: "STRING" },
      ],
    }),
  );
}

/** The corpus for one dataset and bucket; `maxBatchBytes` is the ingestion limit the bombs must pass. */
export function badFiles(options: { dataset: string; bucket: string; maxBatchBytes: number }): BadFile[] {
  const { dataset, bucket, maxBatchBytes } = options;
  const days = seattleWeatherDays().filter((day) => day.date.startsWith("2012-01"));
  const parquet = seattleWeatherParquet(days, { codec: "UNCOMPRESSED" });
  const gzCsv = gzipSync(csvOf(days));
  const bomb = gzipSync(Buffer.alloc(20 * maxBatchBytes, "1"));
  const base64 = (bytes: Buffer) => bytes.toString("base64");
  const ref = (key: string) => `s3://${bucket}/${key}`;
  const tooLarge =
    /gzip batch decompresses to more than \d+ bytes, over the limit of \d+ bytes \(INGEST_MAX_BATCH_BYTES/;
  const arrival = (batchKey: string, rest: Omit<DataArrived, "dataset" | "batchKey">): DataArrived => ({
    dataset,
    batchKey,
    ...rest,
  });
  return [
    {
      name: "truncated Parquet, inline",
      arrival: arrival("parquet-truncated", { format: "parquet", rowsBase64: base64(parquet.subarray(0, 600)) }),
      expected: { via: "dlq", kind: "unreadable_parquet", reason: /footer != PAR1/ },
    },
    {
      name: "truncated Parquet, by reference",
      object: { key: "bad/truncated.parquet", bytes: parquet.subarray(0, parquet.length - 1) },
      arrival: arrival("parquet-truncated-ref", { format: "parquet", ref: ref("bad/truncated.parquet") }),
      expected: { via: "dlq", kind: "unreadable_parquet", reason: /Parquet batch is unreadable: / },
    },
    {
      name: "Parquet with overwritten pages",
      arrival: arrival("parquet-damaged", {
        format: "parquet",
        rowsBase64: base64(Buffer.concat([parquet.subarray(0, 4), Buffer.alloc(300, 0xee), parquet.subarray(304)])),
      }),
      expected: { via: "dlq", kind: "unreadable_parquet", reason: /Parquet batch is unreadable: / },
    },
    {
      name: "CSV text sent as Parquet",
      arrival: arrival("parquet-is-csv", { format: "parquet", rowsBase64: base64(Buffer.from(csvOf(days))) }),
      expected: { via: "dlq", kind: "unreadable_parquet", reason: /footer != PAR1/ },
    },
    {
      name: "Parquet without rows",
      arrival: arrival("parquet-empty", { format: "parquet", rowsBase64: base64(seattleWeatherParquet([])) }),
      expected: { via: "dlq", kind: "empty", reason: /parquet batch has no rows$/ },
    },
    {
      name: "Parquet of the wrong schema: the event-time column renamed, temperatures as text",
      arrival: arrival("parquet-wrong-schema", {
        format: "parquet",
        rowsBase64: base64(parquetOfWrongSchema(days, { date: "day", temp_max: "temp_max" })),
      }),
      expected: { via: "rejected", reason: /column "date" is missing from the header/ },
    },
    {
      name: "gzip bomb, inline",
      arrival: arrival("gzip-bomb", { format: "csv", compression: "gzip", rowsBase64: base64(bomb) }),
      expected: { via: "dlq", kind: "too_large", reason: tooLarge },
    },
    {
      name: "gzip bomb, by reference",
      object: { key: "bad/bomb.ndjson.gz", bytes: bomb },
      arrival: arrival("gzip-bomb-ref", { format: "ndjson", compression: "gzip", ref: ref("bad/bomb.ndjson.gz") }),
      expected: { via: "dlq", kind: "too_large", reason: tooLarge },
    },
    {
      name: "gzip cut short",
      arrival: arrival("gzip-truncated", {
        format: "csv",
        compression: "gzip",
        rowsBase64: base64(gzCsv.subarray(0, gzCsv.length >> 1)),
      }),
      expected: {
        via: "dlq",
        kind: "corrupt_gzip",
        reason: /gzip data ends early \(truncated\?\): unexpected end of file/,
      },
    },
    {
      name: "plain CSV sent as gzip",
      arrival: arrival("gzip-not", {
        format: "csv",
        compression: "gzip",
        rowsBase64: base64(Buffer.from(csvOf(days))),
      }),
      expected: { via: "dlq", kind: "corrupt_gzip", reason: /gzip data is corrupt: incorrect header check/ },
    },
    {
      name: "gzip with a flipped byte in its deflate stream",
      arrival: arrival("gzip-flipped", {
        format: "csv",
        compression: "gzip",
        rowsBase64: base64(
          Buffer.concat([gzCsv.subarray(0, 20), Buffer.from([(gzCsv[20] ?? 0) ^ 0xff]), gzCsv.subarray(21)]),
        ),
      }),
      expected: { via: "dlq", kind: "corrupt_gzip", reason: /gzip data (is corrupt|ends early)/ },
    },
    {
      name: "gzip CSV of the wrong schema: no label column",
      arrival: arrival("gzip-no-label", {
        format: "csv",
        compression: "gzip",
        rowsBase64: base64(gzipSync(csvOf(days).replace(/,weather\n/, ",sky\n"))),
      }),
      expected: { via: "rejected", reason: /label column "weather" is missing from the header/ },
    },
  ];
}
