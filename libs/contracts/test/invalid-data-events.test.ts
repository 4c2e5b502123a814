import { describe } from "node:test";
import { MAX_INLINE_BYTES } from "../src/index.ts";
import { type InvalidCase, set, testRejections } from "./fixtures.ts";

const cases: InvalidCase[] = [
  // data.arrived
  {
    name: "data.arrived whose batch key has a space",
    type: "data.arrived",
    change: set({ batchKey: "part 1" }),
    reason: /data\.batchKey: batchKey "part 1": batch keys are 1-200 characters/,
  },
  {
    name: "data.arrived with both rows and ref",
    type: "data.arrived",
    change: set({ ref: "s3://bucket/key.csv" }),
    reason: /data: rows, rowsBase64 and ref: exactly one is required, got rows and ref/,
  },
  {
    name: "data.arrived with neither rows nor ref",
    type: "data.arrived",
    change: set({ rows: undefined }),
    reason: /data: rows, rowsBase64 and ref: exactly one is required, got none/,
  },
  {
    name: "data.arrived of format xml",
    type: "data.arrived",
    change: set({ format: "xml" }),
    reason: /data\.format: Invalid option: expected one of "csv"\|"ndjson"\|"json"\|"parquet", got "xml"/,
  },
  {
    name: "data.arrived of format parquet with text rows",
    type: "data.arrived",
    change: set({ format: "parquet" }),
    reason: /data\.rows: rows: format "parquet" is bytes; send them base64-encoded in rowsBase64/,
  },
  {
    name: "data.arrived of gzip csv with text rows",
    type: "data.arrived",
    change: set({ compression: "gzip" }),
    reason: /data\.rows: rows: format "csv" with compression "gzip" is bytes; send them base64-encoded in rowsBase64/,
  },
  {
    name: "data.arrived of plain csv in rowsBase64",
    type: "data.arrived",
    change: set({ rows: undefined, rowsBase64: "YSxiCjEsMgo=" }),
    reason: /data\.rowsBase64: rowsBase64: format "csv" is text; send it in rows/,
  },
  {
    name: "data.arrived of gzip parquet",
    type: "data.arrived",
    change: set({ format: "parquet", compression: "gzip", rows: undefined, rowsBase64: "UEFSMQ==" }),
    reason: /data\.compression: compression "gzip": Parquet compresses its own pages; send the file as it is/,
  },
  {
    name: "data.arrived with rowsBase64 that is not base64",
    type: "data.arrived",
    change: set({ format: "parquet", rows: undefined, rowsBase64: "not base64!" }),
    reason: /data\.rowsBase64: /,
  },
  {
    name: "data.arrived of format json with a string of rows",
    type: "data.arrived",
    change: set({ format: "json" }),
    reason: /data\.rows: rows: format "json" takes an array of row objects, got a string/,
  },
  {
    name: "data.arrived of format csv with an array of rows",
    type: "data.arrived",
    change: set({ rows: [{ a: 1 }] }),
    reason: /data\.rows: rows: format "csv" takes a string, got an array/,
  },
  {
    name: "data.arrived whose inline rows pass MAX_INLINE_BYTES in UTF-8",
    type: "data.arrived",
    change: set({ rows: "é".repeat(MAX_INLINE_BYTES / 2 + 1) }),
    reason: new RegExp(`data\\.rows: rows: ${MAX_INLINE_BYTES + 2} bytes inline, at most ${MAX_INLINE_BYTES}`),
  },
  {
    name: "data.arrived whose ref bucket has capitals",
    type: "data.arrived",
    change: set({ rows: undefined, ref: "s3://Bad_Bucket/x.csv" }),
    reason: /data\.ref: ref "s3:\/\/Bad_Bucket\/x\.csv": expected s3:\/\/<bucket>\/<key>/,
  },
  {
    name: "data.arrived whose ref key climbs out with ..",
    type: "data.arrived",
    change: set({ rows: undefined, ref: "s3://bucket/a/../secret" }),
    reason: /data\.ref: ref "s3:\/\/bucket\/a\/\.\.\/secret": .*no "\." or "\.\." segment/,
  },
  {
    name: "data.arrived whose ref is http",
    type: "data.arrived",
    change: set({ rows: undefined, ref: "https://bucket.example.com/x.csv" }),
    reason: /data\.ref: ref "https:\/\/bucket\.example\.com\/x\.csv": expected s3:\/\//,
  },
  {
    name: "data.arrived with a key the contract does not know",
    type: "data.arrived",
    change: set({ priority: "high" }),
    reason: /data: Unrecognized key: "priority"/,
  },
  // data.ingested
  {
    name: "data.ingested with an upper-case sha256",
    type: "data.ingested",
    change: set({ sha256: "A".repeat(64) }),
    reason: /data\.sha256: sha256 "A{64}": expected 64 lowercase hex digits/,
  },
  {
    name: "data.ingested with a negative row count",
    type: "data.ingested",
    change: set({ rowCount: -1 }),
    reason: /data\.rowCount: Too small: expected number to be >=0, got -1/,
  },
  {
    name: "data.ingested whose object key climbs out",
    type: "data.ingested",
    change: set({ objectKey: "../etc/passwd" }),
    reason: /data\.objectKey: objectKey "\.\.\/etc\/passwd": keys are/,
  },
  {
    name: "data.ingested with an event time that is not ISO",
    type: "data.ingested",
    change: set({ eventTimeMin: "yesterday" }),
    reason: /data\.eventTimeMin: Invalid ISO datetime, got "yesterday"/,
  },
  {
    name: "data.ingested whose time range runs backwards",
    type: "data.ingested",
    change: set({ eventTimeMin: "2024-06-01T00:00:00Z" }),
    reason: /data\.eventTimeMax: eventTimeMax "2024-05-01T00:00:00Z" is before eventTimeMin "2024-06-01T00:00:00Z"/,
  },
  {
    name: "data.ingested with a batch id of 201 characters",
    type: "data.ingested",
    change: set({ batchId: "b".repeat(201) }),
    reason: /data\.batchId: batchId "b{201}": ids are 1-200 characters/,
  },
  // data.validated, data.rejected
  {
    name: "data.validated whose valid and invalid rows do not add up",
    type: "data.validated",
    change: set({ validRows: 10 }),
    reason: /data\.rowCount: validRows 10 \+ invalidRows 1 is not rowCount 10/,
  },
  {
    name: "data.validated with statistics for a feature name with a space",
    type: "data.validated",
    change: set({ statistics: { "temp max": { count: 1, nullCount: 0, nullShare: 0 } } }),
    reason: /data\.statistics\["temp max"\]: feature "temp max": feature names start with a letter or _/,
  },
  {
    name: "data.validated with a null share above 1",
    type: "data.validated",
    change: set({ statistics: { wind: { count: 1, nullCount: 0, nullShare: 1.5 } } }),
    reason: /data\.statistics\.wind\.nullShare: Too big: expected number to be <=1, got 1\.5/,
  },
  {
    name: "data.validated with a quantile key that is not a level",
    type: "data.validated",
    change: set({ statistics: { wind: { count: 1, nullCount: 0, nullShare: 0, quantiles: { median: 3 } } } }),
    reason: /data\.statistics\.wind\.quantiles\.median: quantile "median": keys are levels like "p05"/,
  },
  {
    name: "data.validated with an anomaly kind in Title Case",
    type: "data.validated",
    change: set({ anomalies: [{ kind: "Out Of Range", reason: "x", count: 1 }] }),
    reason: /data\.anomalies\[0\]\.kind: anomaly kind "Out Of Range": snake_case/,
  },
  {
    name: "data.rejected without a reason",
    type: "data.rejected",
    change: set({ reason: undefined }),
    reason: /data\.reason: Invalid input: expected string, received undefined/,
  },
  // features.updated
  {
    name: "features.updated with more labelled rows than rows written",
    type: "features.updated",
    change: set({ labelledRows: 10 }),
    reason: /data\.labelledRows: labelledRows 10 is more than rowsWritten 9/,
  },
  {
    name: "features.updated with a watermark in month 13",
    type: "features.updated",
    change: set({ watermark: "2024-13-01T00:00:00Z" }),
    reason: /data\.watermark: Invalid ISO datetime, got "2024-13-01T00:00:00Z"/,
  },
  {
    name: "features.updated with spec revision 0",
    type: "features.updated",
    change: set({ specRevision: 0 }),
    reason: /data\.specRevision: Too small: expected number to be >0, got 0/,
  },
];

describe("invalid data and feature events", () => testRejections(cases));
