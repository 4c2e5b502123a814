/**
 * `npm run build` (also `npm ci`'s prepare step and the image's build stage): compiles what runs in production to
 * JavaScript with esbuild, so no TypeScript is transpiled at run time.
 *
 * - each service: services/<name>/dist/main.js, and telemetry-register.js (libs/telemetry's register, the `--import`
 *   that starts OpenTelemetry first); both share one chunk of the telemetry library, so the service shuts down the
 *   SDK that register started;
 * - the CLI: tools/cli/dist/main.js, each command's implementation in a chunk of its own loaded when it runs.
 *
 * The @gyre/* libraries are bundled in; every npm package stays an import (OpenTelemetry instruments pg, grpc-js and
 * http as they are imported, and tfjs-node must share the lockfile's tfjs-core). `import.meta.url` in a bundled
 * module becomes its source file's URL, so paths resolved from it (proto/, migrations/, package.json) are the same
 * as under tsx. dist/inputs.json lists the sources of a build: tools/cli/bin/gyre.js runs the TypeScript through tsx
 * instead when one of them is newer than the build (a checkout or an edit since).
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SERVICES = ["ingestion", "validation", "feature-store", "trainer", "registry", "serving", "monitoring"];

export interface Target {
  /** The directory the output goes to, relative to the repository root. */
  outdir: string;
  /** Output name (without .js) → source file, both relative to the repository root. */
  entries: Record<string, string>;
}

export const TARGETS: Target[] = [
  ...SERVICES.map((service) => ({
    outdir: `services/${service}/dist`,
    entries: { main: `services/${service}/src/main.ts`, "telemetry-register": "libs/telemetry/src/register.ts" },
  })),
  { outdir: "tools/cli/dist", entries: { main: "tools/cli/src/main.ts" } },
];

const posix = (path: string) => path.split(sep).join("/");

/**
 * npm packages stay imports; @gyre/* workspaces and relative imports are bundled. A package is imported by name when
 * Node finds the same file from the output directory as from the importing source; otherwise (a workspace's own
 * node_modules holds another version: libs/telemetry's OpenTelemetry packages, say) by its path from the output.
 */
function externalPackages(outdir: string): Plugin {
  return {
    name: "external-packages",
    setup(builder) {
      builder.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.path.startsWith("@gyre/") || args.pluginData === RESOLVING) return undefined;
        const resolve = (resolveDir: string) =>
          builder.resolve(args.path, { kind: args.kind, resolveDir, pluginData: RESOLVING });
        // From the package that holds the output directory: the same lookup as from the output (which does not exist yet).
        const [fromSource, fromOutput] = await Promise.all([resolve(args.resolveDir), resolve(dirname(outdir))]);
        if (fromSource.errors.length > 0 || fromSource.external || fromSource.path === fromOutput.path) {
          return { path: args.path, external: true };
        }
        return { path: `./${posix(relative(outdir, fromSource.path))}`.replace(/^\.\/\.\.\//, "../"), external: true };
      });
    },
  };
}
const RESOLVING = Symbol("resolving a package for external-packages");

/** `import.meta.url` of a bundled module is its source file's URL, written relative to the output directory. */
function sourceMetaUrl(outdir: string): Plugin {
  return {
    name: "source-meta-url",
    setup(builder) {
      builder.onLoad({ filter: /\.ts$/ }, (args) => {
        const text = readFileSync(args.path, "utf8");
        if (!text.includes("import.meta.url")) return { contents: text, loader: "ts" };
        const fromOutput = posix(relative(outdir, args.path));
        return {
          contents: text.replaceAll("import.meta.url", `new URL(${JSON.stringify(fromOutput)}, import.meta.url).href`),
          loader: "ts",
        };
      });
    },
  };
}

export async function buildTarget(target: Target): Promise<{ outdir: string; inputs: string[] }> {
  const outdir = join(ROOT, target.outdir);
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(Object.entries(target.entries).map(([name, source]) => [name, join(ROOT, source)])),
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    sourcemap: "linked",
    sourcesContent: false,
    metafile: true,
    logLevel: "warning",
    plugins: [externalPackages(outdir), sourceMetaUrl(outdir)],
  });
  const inputs = Object.keys(result.metafile.inputs).map((path) => posix(relative(ROOT, join(ROOT, path))));
  writeFileSync(join(outdir, "inputs.json"), `${JSON.stringify({ inputs: inputs.sort() }, null, 1)}\n`);
  return { outdir: target.outdir, inputs };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const startedAt = performance.now();
  const built = await Promise.all(TARGETS.map(buildTarget));
  const ms = Math.round(performance.now() - startedAt);
  process.stdout.write(`${JSON.stringify({ event: "build.done", outputs: built.map((b) => b.outdir), ms })}\n`);
}
