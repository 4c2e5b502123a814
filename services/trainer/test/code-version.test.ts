import assert from "node:assert/strict";
import { test } from "node:test";
import { codeVersion } from "../src/code-version.ts";

test("GYRE_CODE_VERSION wins when set", () => {
  assert.equal(codeVersion({ GYRE_CODE_VERSION: " 1.4.2+abc " }), "1.4.2+abc");
});

test("in a git checkout the code version is the commit, marked -dirty for uncommitted changes", () => {
  assert.match(codeVersion({}), /^[0-9a-f]{40}(-dirty)?$/);
});
