import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ExportTrainingSetRequest__Output } from "@gyre/grpc";
import { DEFAULT_CHUNK_ROWS, type ExportRequest, holdoutRows, parseExportRequest } from "../src/exportRequest.ts";

const base: ExportTrainingSetRequest__Output = {
  dataset: "weather",
  holdout_share: 0.2,
  snapshot_id: "",
  include_unlabelled: false,
  chunk_rows: 0,
};

describe("parseExportRequest reads the window, holdout and snapshot", () => {
  const cases: { name: string; request: Partial<ExportTrainingSetRequest__Output>; expected: ExportRequest }[] = [
    {
      name: "no window: every row, default chunks",
      request: {},
      expected: {
        dataset: "weather",
        chunkRows: DEFAULT_CHUNK_ROWS,
        snapshotId: null,
        params: { window: { kind: "all" }, holdoutShare: 0.2, includeUnlabelled: false },
      },
    },
    {
      name: "the latest N rows",
      request: { window: "last_rows", last_rows: "1500", chunk_rows: 100, include_unlabelled: true },
      expected: {
        dataset: "weather",
        chunkRows: 100,
        snapshotId: null,
        params: { window: { kind: "lastRows", lastRows: 1500 }, holdoutShare: 0.2, includeUnlabelled: true },
      },
    },
    {
      name: "an event-time range with an open end, times in UTC",
      request: { window: "time_range", time_range: { start: "2012-01-01", end: "" }, holdout_share: 0 },
      expected: {
        dataset: "weather",
        chunkRows: DEFAULT_CHUNK_ROWS,
        snapshotId: null,
        params: {
          window: { kind: "timeRange", start: "2012-01-01T00:00:00.000Z", end: null },
          holdoutShare: 0,
          includeUnlabelled: false,
        },
      },
    },
    {
      name: "a snapshot replay ignores the window and holdout",
      request: { snapshot_id: "snap-1", window: "last_rows", last_rows: "0", holdout_share: 7 },
      expected: { dataset: "weather", chunkRows: DEFAULT_CHUNK_ROWS, snapshotId: "snap-1" },
    },
  ];
  for (const { name, request, expected } of cases) {
    test(name, () => assert.deepEqual(parseExportRequest({ ...base, ...request }), expected));
  }
});

describe("parseExportRequest names the argument that is wrong", () => {
  const cases: { request: Partial<ExportTrainingSetRequest__Output>; message: RegExp }[] = [
    { request: { dataset: "Wea ther" }, message: /dataset "Wea ther": names start with a-z/ },
    { request: { holdout_share: 1 }, message: /holdout_share 1: expected a share from 0 up to/ },
    { request: { holdout_share: -0.1 }, message: /holdout_share -0.1/ },
    { request: { window: "last_rows", last_rows: "0" }, message: /last_rows 0: expected a whole number/ },
    { request: { window: "time_range", time_range: { start: "May", end: "" } }, message: /time_range.start "May"/ },
    {
      request: { window: "time_range", time_range: { start: "2013-01-01", end: "2012-01-01" } },
      message: /start must be before end/,
    },
    { request: { chunk_rows: 50_001 }, message: /chunk_rows 50001/ },
    { request: { snapshot_id: "no spaces please" }, message: /snapshot_id "no spaces please"/ },
  ];
  for (const { request, message } of cases) {
    test(`${JSON.stringify(request)}`, () => {
      assert.throws(
        () => parseExportRequest({ ...base, ...request }),
        (err) => err instanceof Error && err.name === "InvalidArgumentError" && message.test(err.message),
      );
    });
  }
});

describe("holdoutRows rounds the share to whole rows", () => {
  const cases = [
    { total: 1000, share: 0.2, expected: 200 },
    { total: 7, share: 0.2, expected: 1 },
    { total: 2, share: 0.2, expected: 0 },
    { total: 0, share: 0.5, expected: 0 },
    { total: 10, share: 0, expected: 0 },
  ];
  for (const { total, share, expected } of cases) {
    test(`${share} of ${total} rows is ${expected}`, () => assert.equal(holdoutRows(total, share), expected));
  }
});
