import { driftBrief } from "./eventLines.ts";
import type { LoopRecord } from "./loopRecord.ts";

const fixed = (value: number | null) => (value === null ? "-" : value.toFixed(3));
const batches = (count: number) => `${count} batch${count === 1 ? "" : "es"}`;

export function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, "0")}s`;
}

/** Rows of a two-column table, the first column padded to one width. */
export function table(rows: [string, string][], indent = "  "): string {
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows
    .map(([name, value]) => {
      const [first, ...rest] = value.split("\n");
      return [
        `${indent}${name.padEnd(width)}  ${first}`,
        ...rest.map((line) => `${indent}${" ".repeat(width)}  ${line}`),
      ]
        .join("\n")
        .trimEnd();
    })
    .join("\n");
}

function countBy(values: string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, count]) => `${value} ${count}`).join(", ");
}

/** The summary of what the loop did with the demo's stream: one row per part of the loop. */
export function summaryRows(record: LoopRecord, options: { drifting: string; planned: number }): [string, string][] {
  const rows = record.rows();
  const trainings = [...record.trained.values()];
  const promotions = record.promotions.map(
    (d) => `v${d.version} (run ${d.runId}, trigger ${record.triggerOf(d.runId) ?? "?"})`,
  );
  const refused = record.decisions
    .filter((d) => d.kind === "rejected")
    .map((d) => `v${d.version} (trigger ${record.triggerOf(d.runId) ?? "?"}): ${d.reason}`);
  const drifts = record.drifts.map(driftBrief);
  const around = record.prequentialAround(options.drifting);
  const metric = around.metric ?? "accuracy";
  const prequential =
    around.retrainVersion === null
      ? `${fixed(around.before.mean)} over ${batches(around.before.batches)} (no drift retrain was promoted)`
      : `before the retrain ${fixed(around.before.mean)} (${batches(around.before.batches)}), ` +
        `after it (v${around.retrainVersion}+) ${fixed(around.after.mean)} (${batches(around.after.batches)})`;
  return [
    [
      "batches",
      `${record.sent.size} of ${options.planned} sent, ${record.ingested.size} ingested, ` +
        `${record.validated.size} validated, ${record.rejected.size} rejected`,
    ],
    [
      "rows",
      `${rows.sent} sent, ${rows.stored} stored, ${rows.quarantined} quarantined, ${rows.rejected} in rejected batches`,
    ],
    [
      "trainings",
      `${trainings.length}${trainings.length ? ` (by trigger: ${countBy(trainings.map((t) => t.trigger.reason))})` : ""}`,
    ],
    ["promotions", promotions.length ? promotions.join("\n") : "none"],
    ...(refused.length ? [["not promoted", refused.join("\n")] as [string, string]] : []),
    ["drift events", drifts.length ? `${drifts.length}: ${drifts.join("\n")}` : "none"],
    [`${metric}, ${options.drifting}`, `prequential (each batch scored before training on it): ${prequential}`],
  ];
}
