import type { Command } from "commander";
import { CliError } from "../failures.ts";
import { curveLines, learningCurve } from "../learningCurve.ts";
import { formatNumber, printJson, printLine, printTable, timeText, versionText } from "../output.ts";
import { positiveInteger, withSession } from "../run.ts";
import type { Session } from "../session.ts";
import { printDriftEvents } from "./drift.ts";

export function registerMetrics(program: Command): void {
  program
    .command("metrics")
    .description(
      "How a dataset's models learn: cumulative prequential metric per model version, served accuracy from label feedback, runs, promotions, rejections and drift",
    )
    .argument("<dataset>")
    .option("--limit <n>", "the latest this many batches", positiveInteger("--limit"), 1000)
    .option("--json", "print as JSON (the shape is in docs/learning.md)")
    .action(withSession(metrics));
}

async function metrics(session: Session, dataset: string, options: { limit: number; json?: boolean }): Promise<void> {
  const monitoring = session.monitoring();
  const registry = session.registry();
  const [prequential, drift, served, runs, model] = await Promise.all([
    monitoring.GetPrequentialMetrics({ dataset, limit: options.limit }),
    monitoring.ListDriftEvents({ dataset, limit: 1000, include_no_drift: false }),
    monitoring.GetServedAccuracy({ dataset, period: "day" }),
    registry.ListRuns({ dataset, limit: 1000 }),
    // A dataset whose first model was not registered yet has no promotions or rejections.
    registry.GetModel({ dataset }).catch((error: unknown) => {
      if (error instanceof CliError && error.message.startsWith("NOT_FOUND:")) return { audit: [] };
      throw error;
    }),
  ]);
  const curve = learningCurve({
    dataset,
    points: prequential.points,
    unscored: prequential.unscored,
    drift: drift.events,
    served,
    runs: runs.runs,
    audit: model.audit,
  });
  if (options.json) return printJson(curve);

  const { prequential: figures } = curve;
  printLine(
    figures.cumulative === null
      ? `dataset ${dataset}: no labelled batch scored yet (monitoring scores them once a champion is serving)`
      : `dataset ${dataset}: prequential ${curve.metric} ${formatNumber(figures.cumulative)} over ${figures.rows} rows of ${figures.batches} batches (each scored before any training on it; rows-weighted)`,
  );
  printLine(
    `runs ${curve.runs.total} (${Object.entries(curve.runs.byTrigger)
      .map(([reason, count]) => `${reason} ${count}`)
      .join(", ")}), promotions ${curve.promotions}, rejections ${curve.rejections}, drift events ${curve.driftEvents}`,
  );
  if (figures.points.length > 0) {
    printLine();
    printLine(`${curve.metric} per batch (R: a retrained model took over, D: drift detected since the batch before)`);
    for (const line of curveLines(curve)) printLine(`  ${line}`);
  }
  printLine();
  printTable(
    ["model", "batches", "rows", `prequential ${curve.metric ?? ""}`.trim()],
    figures.perVersion.map((version) => [
      versionText(version.modelVersion),
      version.batches,
      version.rows,
      version.value,
    ]),
    "  no model version has scored a batch yet",
  );
  if (figures.unscored.length > 0) {
    printLine();
    printLine("not scored (test, then train)");
    printTable(
      ["batch", "model", "reason"],
      figures.unscored.map((batch) => [batch.batchId, versionText(batch.modelVersion), batch.reason]),
    );
  }
  printLine();
  printLine("served accuracy (labels joined with logged predictions)");
  printTable(
    ["model", "role", "logged", "labelled", "correct", "accuracy"],
    curve.served.perVersion.map((version) => [
      versionText(version.modelVersion),
      version.role,
      version.logged,
      version.labelled,
      version.correct,
      version.accuracy === null ? "" : version.accuracy,
    ]),
    "  no predictions logged yet",
  );
  const labels = curve.served.labels;
  printLine(
    `labels: received ${labels.received}, duplicates ${labels.duplicates} (conflicting ${labels.conflicting}), late ${labels.late}, unmatched ${labels.unmatched}, predictions unlabelled ${labels.unlabelled}`,
  );
  printLine();
  printLine("drift events");
  printDriftEvents(
    drift.events.filter((event) => event.status === "published"),
    "  none",
  );
  if (figures.points.length > 0) printLine(`\nlatest batch scored ${timeText(figures.points.at(-1)?.measuredAt)}`);
}
