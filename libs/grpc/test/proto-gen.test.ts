import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

test("the committed generated types match every proto under proto/", async () => {
  const { stdout } = await promisify(execFile)("bash", ["scripts/proto-gen.sh", "--check"], { cwd: repoRoot });
  assert.match(stdout, /libs\/grpc\/src\/generated is current \(\d+ proto files\)/);
});

test("proto-gen refuses an unknown argument and names it", async () => {
  await assert.rejects(promisify(execFile)("bash", ["scripts/proto-gen.sh", "--frobnicate"], { cwd: repoRoot }), {
    code: 2,
    stderr: /unknown argument "--frobnicate"/,
  });
});
