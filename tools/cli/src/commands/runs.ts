import type { Run__Output } from "@gyre/grpc";
import type { Command } from "commander";
import {
  type Cell,
  formatMetrics,
  formatNumber,
  printFields,
  printJson,
  printLine,
  printTable,
  timeText,
  versionText,
} from "../output.ts";
import { positiveInteger, withSession } from "../run.ts";
import type { Session } from "../session.ts";

interface JsonOption {
  json?: boolean;
}

/** A reproduction trains again: it may take as long as the original run. */
const REPRODUCE_TIMEOUT_MS = 30 * 60_000;

export function registerRuns(program: Command): void {
  const runs = program.command("runs").description("Training runs: list, show, compare, reproduce");

  runs
    .command("ls")
    .description("A dataset's runs, newest first")
    .argument("<dataset>")
    .option("--limit <n>", "at most this many", positiveInteger("--limit"), 20)
    .option("--json", "print as JSON")
    .action(
      withSession(async (session, dataset: string, options: { limit: number } & JsonOption) => {
        const { runs: list } = await session.registry().ListRuns({ dataset, limit: options.limit });
        if (options.json) return printJson(list);
        printTable(
          ["run", "outcome", "version", "trigger", "metrics", "recorded"],
          list.map((run) => [
            run.run_id,
            run.outcome,
            versionText(run.version),
            run.trigger?.reason,
            formatMetrics(run.metrics),
            timeText(run.recorded_at),
          ]),
          `no runs of dataset ${dataset} yet`,
        );
      }),
    );

  runs
    .command("get")
    .description("One run: metrics, champion metrics, parameters, snapshot")
    .argument("<runId>")
    .option("--json", "print as JSON")
    .action(
      withSession(async (session, runId: string, options: JsonOption) => {
        const run = await session.registry().GetRun({ run_id: runId });
        if (options.json) return printJson(run);
        printRun(run);
      }),
    );

  runs
    .command("compare")
    .description("Two runs side by side: every metric and parameter, with the differences")
    .argument("<a>", "run id")
    .argument("<b>", "run id")
    .option("--json", "print as JSON")
    .action(withSession(compare));

  runs
    .command("reproduce")
    .description("Train a recorded run again from its snapshot, spec revision and seed (trainer gRPC), and compare")
    .argument("<runId>")
    .option("--json", "print as JSON")
    .action(withSession(reproduce));
}

function printRun(run: Run__Output): void {
  printFields([
    ["run", run.run_id],
    ["dataset", run.dataset],
    ["outcome", run.outcome === "refused" ? `refused: ${run.refusal_reason}` : run.outcome],
    ["version", versionText(run.version)],
    ["metrics", formatMetrics(run.metrics)],
    [
      "champion metrics",
      Number(run.compared_with_version) > 0
        ? `${versionText(run.compared_with_version)}: ${formatMetrics(run.champion_metrics)}`
        : "",
    ],
    ["trigger", run.trigger ? `${run.trigger.reason} ${run.trigger.event_ids.join(", ")}`.trim() : ""],
    ["snapshot", `${run.snapshot_id} (${Number(run.batch_count)} batches)`],
    ["spec revision", Number(run.spec_revision)],
    ["backend", run.backend],
    ["code version", run.code_version],
    ["artifact", run.artifact_key],
    ["recorded", timeText(run.recorded_at)],
  ]);
}

async function compare(session: Session, a: string, b: string, options: JsonOption): Promise<void> {
  const comparison = await session.registry().CompareRuns({ run_id_a: a, run_id_b: b });
  if (options.json) return printJson(comparison);
  printLine(`a: ${a} (${versionText(comparison.a?.version)})   b: ${b} (${versionText(comparison.b?.version)})`);
  printLine();
  printTable(
    ["metric", "a", "b", "b - a", "better"],
    comparison.metrics.map((metric): Cell[] => [
      metric.name,
      metric.in_a ? metric.a : "",
      metric.in_b ? metric.b : "",
      metric.in_a && metric.in_b ? signed(metric.difference) : "",
      metric.better,
    ]),
  );
  printLine();
  printTable(
    ["parameter", "a", "b", "differs"],
    comparison.params.map((param) => [param.name, param.a, param.b, param.differs ? "yes" : ""]),
  );
}

function signed(value: number): string {
  return value > 0 ? `+${formatNumber(value)}` : formatNumber(value);
}

async function reproduce(session: Session, runId: string, options: JsonOption): Promise<void> {
  const result = await session.trainer().ReproduceRun({ run_id: runId }, { timeoutMs: REPRODUCE_TIMEOUT_MS });
  if (options.json) return printJson(result);
  printLine(`run ${runId} reproduced as ${result.reproduction?.run_id ?? "-"}`);
  printFields([
    ["same backend", result.same_backend ? "yes" : "no"],
    ["weights identical", result.weights_identical ? "yes" : "no"],
    ["original weights", result.original_weights_sha256],
    ["reproduced weights", result.reproduced_weights_sha256],
  ]);
  printLine();
  printTable(
    ["metric", "original", "reproduced", "difference"],
    result.metrics.map((metric) => [metric.name, metric.original, metric.reproduced, signed(metric.difference)]),
  );
}
