import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseEvent } from "../src/index.ts";
import { validEvents } from "./fixtures.ts";

const withId = (id: string) => JSON.parse(JSON.stringify({ ...validEvents["features.updated"], id }));

describe("event ids", () => {
  const refused: [string, string][] = [
    ["a NUL", "evt\u0000-1"],
    ["a line break", "evt\n1"],
    ["a DEL", "evt\u007f"],
    ["a lone high surrogate", "evt-\ud800"],
    ["a lone low surrogate", "\udfff-evt"],
  ];
  for (const [what, id] of refused) {
    test(`refuses an id with ${what}, naming it`, () => {
      const parsed = parseEvent("features.updated", withId(id));
      assert.equal(parsed.ok, false);
      assert.match(
        parsed.ok ? "" : parsed.reason,
        /^features\.updated event is invalid: id: event id ".*": ids may not/,
      );
    });
  }

  for (const id of ["b7e0c9a4-1f7e-4e0b-9a55-2c1d9f8e7a6b", "features-b-01HZX", "😀🔥", "\u202eltr", "é".repeat(200)]) {
    test(`takes the id ${JSON.stringify(id.slice(0, 40))}`, () => {
      const parsed = parseEvent("features.updated", withId(id));
      assert.equal(parsed.ok, true, parsed.ok ? "" : parsed.reason);
    });
  }
});
