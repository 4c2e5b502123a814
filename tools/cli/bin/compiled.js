// Whether the compiled CLI in `dist` is current: built (dist/inputs.json, written last by scripts/build.ts) and no
// source it was built from changed since (a checkout or an edit after the build). Plain JavaScript: it runs before
// anything could compile TypeScript.
import { readFileSync, statSync } from "node:fs";

/** dist and root are directory URLs ending in "/"; inputs.json lists the sources relative to root. */
export function compiledIsCurrent(dist, root) {
  try {
    const manifest = new URL("inputs.json", dist);
    const builtAt = statSync(manifest).mtimeMs;
    const { inputs } = JSON.parse(readFileSync(manifest, "utf8"));
    return inputs.length > 0 && inputs.every((path) => statSync(new URL(path, root)).mtimeMs <= builtAt);
  } catch {
    return false;
  }
}
