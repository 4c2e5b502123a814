/**
 * `npm run bench -- <name> [--json]`: runs bench/<name>.ts. Each benchmark exports `run(options)` and returns rows
 * for people (printed as a table) and one summary object (with --json, printed as the last line).
 */
import { readdirSync } from "node:fs";
import { parseArgs } from "node:util";

export interface BenchResult {
  /** What was measured, one row per measurement, for the table. */
  rows: Record<string, string | number>[];
  /** The figures for machines, printed as one JSON object with --json. */
  summary: Record<string, unknown>;
}

export interface BenchOptions {
  json: boolean;
  args: string[];
}

const here = new URL(".", import.meta.url);
const available = readdirSync(here)
  .filter((file) => file.endsWith(".ts") && file !== "run.ts")
  .map((file) => file.replace(/\.ts$/, ""));

const { values, positionals } = parseArgs({
  options: { json: { type: "boolean", default: false } },
  allowPositionals: true,
});
const name = positionals[0];
if (!name || !available.includes(name)) {
  console.error(`benchmark ${JSON.stringify(name ?? "")}: choose one of ${available.join(", ") || "(none yet)"}`);
  process.exit(2);
}

const bench = (await import(new URL(`./${name}.ts`, here).href)) as {
  run(options: BenchOptions): Promise<BenchResult>;
};
const result = await bench.run({ json: values.json, args: positionals.slice(1) });
console.table(result.rows);
if (values.json) console.log(JSON.stringify({ bench: name, ...result.summary }));
process.exit(0);
