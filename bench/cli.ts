/**
 * `npm run bench -- cli [--json] [repeats]`: how long the `gyre` CLI takes to answer `--help` and `--version`, run as
 * node_modules/.bin/gyre runs it (`node tools/cli/bin/gyre.js`), against the floor of starting node at all
 * (`node -e 0`), interleaved in one run so that a noisy machine weighs on both alike. The compiled CLI is built first
 * (scripts/build.ts), as `npm ci` builds it. Also `npx gyre --help` beside `npx --version` (npm's own start-up).
 * Fields: `helpMs`, `versionMs`, `nodeMs` (medians), `helpRatio` (helpMs ÷ nodeMs), `npxHelpMs`, `npxFloorMs`.
 */
import { spawnSync } from "node:child_process";
import { REPO_ROOT } from "@gyre/service";
import { buildTarget, TARGETS } from "../scripts/build.ts";
import type { BenchOptions, BenchResult } from "./run.ts";

const BIN = "tools/cli/bin/gyre.js";

/** Wall time of one process, from spawn to exit; fails when it does not exit 0. */
function wallMs(command: string, args: string[]): number {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

export async function run(options: BenchOptions): Promise<BenchResult> {
  const repeats = Number(options.args[0] ?? 15);
  const cli = TARGETS.find((target) => target.outdir === "tools/cli/dist");
  if (!cli) throw new Error("scripts/build.ts has no target for tools/cli/dist");
  await buildTarget(cli);
  const node = process.execPath;
  const cases = {
    node: () => wallMs(node, ["-e", "0"]),
    help: () => wallMs(node, [BIN, "--help"]),
    version: () => wallMs(node, [BIN, "--version"]),
  };
  const npxCases = {
    npxFloor: () => wallMs("npx", ["--version"]),
    npxHelp: () => wallMs("npx", ["gyre", "--help"]),
  };
  // One warm-up of each (file system cache), then interleaved rounds.
  for (const measure of [...Object.values(cases), ...Object.values(npxCases)]) measure();
  const times: Record<string, number[]> = Object.fromEntries(
    [...Object.keys(cases), ...Object.keys(npxCases)].map((name) => [name, []]),
  );
  const measureInto = (name: string, measure: () => number) => times[name]?.push(measure());
  for (let pass = 0; pass < repeats; pass++) {
    for (const [name, measure] of Object.entries(cases)) measureInto(name, measure);
    // npm's exec costs most of a second: a third as often.
    if (pass % 3 === 0) for (const [name, measure] of Object.entries(npxCases)) measureInto(name, measure);
  }
  const med = (name: string) => round(median(times[name] ?? []));
  const nodeMs = med("node");
  const rows = Object.entries(times).map(([name, values]) => ({
    command: {
      node: "node -e 0",
      help: `node ${BIN} --help`,
      version: `node ${BIN} --version`,
      npxFloor: "npx --version",
      npxHelp: "npx gyre --help",
    }[name] as string,
    runs: values.length,
    medianMs: med(name),
    minMs: round(Math.min(...values)),
    maxMs: round(Math.max(...values)),
  }));
  return {
    rows,
    summary: {
      helpMs: med("help"),
      versionMs: med("version"),
      nodeMs,
      helpRatio: Math.round((med("help") / nodeMs) * 100) / 100,
      versionRatio: Math.round((med("version") / nodeMs) * 100) / 100,
      npxHelpMs: med("npxHelp"),
      npxFloorMs: med("npxFloor"),
      repeats,
    },
  };
}
