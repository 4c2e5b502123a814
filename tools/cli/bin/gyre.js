#!/usr/bin/env node
// Runs the compiled CLI (tools/cli/dist, built by `npm run build`, which `npm ci` runs as its prepare step). When the
// build is missing, or a source it was built from changed since, runs the TypeScript through tsx instead, so `gyre`
// always runs the code in the tree.
import { compiledIsCurrent } from "./compiled.js";

if (compiledIsCurrent(new URL("../dist/", import.meta.url), new URL("../../../", import.meta.url))) {
  await import("../dist/main.js");
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/main.ts");
}
