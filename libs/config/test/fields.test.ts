import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { boolean, duration, integer, oneOf, port, url } from "@gyre/config";
import type { z } from "zod";

function accepts(schema: z.ZodType, raw: string, expected: unknown) {
  const result = schema.safeParse(raw);
  assert.ok(result.success, `${JSON.stringify(raw)} should be accepted`);
  assert.deepEqual(result.data, expected);
}

function rejects(schema: z.ZodType, raw: string | undefined, message: string) {
  const result = schema.safeParse(raw);
  assert.equal(result.success, false, `${JSON.stringify(raw)} should be rejected`);
  assert.equal(result.error?.issues[0]?.message, message);
}

describe("env fields", () => {
  it("port parses integers 0-65535 and rejects anything else with one message", () => {
    for (const [raw, expected] of [
      ["0", 0],
      ["4222", 4222],
      ["65535", 65535],
      [" 80 ", 80],
    ] as const) {
      accepts(port(), raw, expected);
    }
    for (const raw of ["abc", "-1", "65536", "80.5", "1e3", "", undefined]) {
      rejects(port(), raw, "expected an integer 0-65535");
    }
  });

  it("integer states its bounds", () => {
    accepts(integer({ min: 1 }), "3", 3);
    rejects(integer({ min: 1 }), "0", "expected an integer >= 1");
    rejects(integer(), "x", "expected an integer");
  });

  it("boolean accepts true/false, 1/0, yes/no, on/off in any case", () => {
    for (const raw of ["true", "TRUE", "1", "yes", "on"]) accepts(boolean(), raw, true);
    for (const raw of ["false", "0", "No", "off"]) accepts(boolean(), raw, false);
    rejects(boolean(), "maybe", "expected true or false (or 1/0, yes/no, on/off)");
  });

  it("duration converts units to milliseconds", () => {
    const table = [
      ["500ms", 500],
      ["2s", 2000],
      ["1.5s", 1500],
      ["5m", 300_000],
      ["1h", 3_600_000],
    ] as const;
    for (const [raw, ms] of table) accepts(duration(), raw, ms);
    for (const raw of ["500", "2 sec", "s", "-1s"]) {
      rejects(duration(), raw, 'expected a duration with a unit, like "500ms", "2s", "5m" or "1h"');
    }
  });

  it("url requires one of the given schemes and a host", () => {
    accepts(url(["http", "https"]), "https://s3.example.com", "https://s3.example.com");
    for (const raw of ["ftp://x", "http://", "localhost:9000", "not a url"]) {
      rejects(url(["http", "https"]), raw, "expected a URL starting with http:// or https://");
    }
  });

  it("oneOf lists the choices", () => {
    accepts(oneOf(["a", "b"]), "b", "b");
    rejects(oneOf(["a", "b"]), "c", "expected one of a, b");
  });
});
