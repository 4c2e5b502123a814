import assert from "node:assert/strict";
import { ConfigError } from "@gyre/config";

export function catchConfigError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected a ConfigError, but nothing was thrown");
}
