import type { RowSink } from "./batchProfile.ts";
import { BatchRejectedError } from "./rejection.ts";

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function isRow(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function ndjsonRow(line: string, lineNumber: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new BatchRejectedError("malformed_ndjson", `NDJSON line ${lineNumber} is not JSON: ${detail}`);
  }
  if (!isRow(value)) {
    throw new BatchRejectedError(
      "malformed_ndjson",
      `NDJSON line ${lineNumber} is ${kindOf(value)}; each line must be one row object`,
    );
  }
  return value;
}

/** Reads NDJSON bytes (already checked as UTF-8): one row object per non-blank line, its `eventTime` to `row`. */
export function ndjsonRows(eventTime: string, row: RowSink) {
  return async (chunks: AsyncIterable<Buffer>): Promise<void> => {
    // not fatal: the bytes were checked, and the default decoder drops a leading byte order mark
    const decoder = new TextDecoder("utf-8");
    let partial = "";
    let lineNumber = 0;
    const complete = (text: string, final: boolean) => {
      const lines = text.split("\n");
      partial = final ? "" : (lines.pop() ?? "");
      for (const line of lines) {
        lineNumber++;
        if (line.trim() !== "") row(ndjsonRow(line, lineNumber)[eventTime]);
      }
    };
    for await (const chunk of chunks) complete(partial + decoder.decode(chunk, { stream: true }), false);
    complete(partial + decoder.decode(), true);
  };
}

/** Reads a JSON array of row objects (bytes checked as UTF-8, read whole): each row's `eventTime` to `row`. */
export function jsonArrayRows(eventTime: string, row: RowSink) {
  return async (chunks: AsyncIterable<Buffer>): Promise<void> => {
    const parts: Buffer[] = [];
    for await (const chunk of chunks) parts.push(chunk);
    let value: unknown;
    try {
      value = JSON.parse(new TextDecoder("utf-8").decode(Buffer.concat(parts)));
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new BatchRejectedError("malformed_json", `JSON batch is not JSON: ${detail}`);
    }
    if (!Array.isArray(value)) {
      throw new BatchRejectedError("malformed_json", `JSON batch is ${kindOf(value)}; send an array of row objects`);
    }
    for (const [index, element] of value.entries()) {
      if (!isRow(element)) {
        throw new BatchRejectedError(
          "malformed_json",
          `JSON batch row ${index + 1} is ${kindOf(element)}, not a row object`,
        );
      }
      row(element[eventTime]);
    }
  };
}
