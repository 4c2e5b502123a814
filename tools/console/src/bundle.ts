import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** tools/console, from this file's place in it. */
export const CONSOLE_ROOT = fileURLToPath(new URL("../", import.meta.url));
/** Where `vite build` writes the page (gitignored: the bundle is built, never committed). */
export const BUNDLE_DIR = join(CONSOLE_ROOT, "dist");
const WEB_DIR = join(CONSOLE_ROOT, "web");

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

/** Whether dist/ is missing or older than a file of web/. */
export function bundleIsStale(): boolean {
  try {
    return statSync(join(BUNDLE_DIR, "index.html")).mtimeMs < newestChange(WEB_DIR);
  } catch {
    return true;
  }
}

/** Builds the page with Vite when it is missing or stale; returns whether it built. */
export async function buildBundle(options: { force?: boolean } = {}): Promise<boolean> {
  if (!options.force && !bundleIsStale()) return false;
  const { build } = await import("vite");
  await build({ configFile: join(WEB_DIR, "vite.config.ts"), logLevel: "warn" });
  return true;
}
