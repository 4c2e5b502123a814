import assert from "node:assert/strict";
import { test } from "node:test";
import { selectBackend, UnknownBackendError } from "@gyre/model";
import * as tf from "@tensorflow/tfjs";

test("TFJS_BACKEND forces a backend, and an unknown name is refused naming it", async () => {
  assert.equal((await selectBackend("cpu")).name, "cpu");
  assert.equal(tf.getBackend(), "cpu");
  await assert.rejects(
    selectBackend("gpu"),
    (error: unknown) => error instanceof UnknownBackendError && /"gpu"/.test(error.message),
  );
});

test("without a preference it takes tfjs-node where installed, else wasm, and says why it skipped one", async () => {
  const choice = await selectBackend();
  assert.equal(tf.getBackend(), choice.name);
  assert.match(choice.tfjsVersion, /^\d+\.\d+\.\d+$/);
  if (choice.name !== "tensorflow") {
    assert.equal(choice.name, "wasm");
    assert.deepEqual(
      choice.skipped.map((skipped) => skipped.name),
      ["tensorflow"],
    );
    assert.match(choice.skipped[0]?.reason ?? "", /tfjs-node/);
  }
});
