import { writeFileSync } from "node:fs";
import type { DriftEvent__Output } from "@gyre/grpc";
import type { Command } from "commander";
import { CliError } from "../failures.ts";
import { formatNumber, printJson, printLine, printTable, timeText, versionText } from "../output.ts";
import { positiveInteger, withSession } from "../run.ts";
import type { Session } from "../session.ts";

interface JsonOption {
  json?: boolean;
}

export function registerDrift(program: Command): void {
  const drift = program.command("drift").description("Drift found by monitoring: events and HTML reports");

  drift
    .command("ls")
    .description("A dataset's drift events, newest first (published and suppressed by the cooldown)")
    .argument("<dataset>")
    .option("--all", "also list window checks that found no drift")
    .option("--limit <n>", "at most this many", positiveInteger("--limit"), 20)
    .option("--json", "print as JSON")
    .action(
      withSession(async (session, dataset: string, options: { all?: boolean; limit: number } & JsonOption) => {
        const { events } = await session
          .monitoring()
          .ListDriftEvents({ dataset, limit: options.limit, include_no_drift: options.all === true });
        if (options.json) return printJson(events);
        printDriftEvents(events, `no drift found for dataset ${dataset}`);
      }),
    );

  drift
    .command("report")
    .description("Save a drift report as HTML (the latest one unless --id names a check)")
    .argument("<dataset>")
    .option("--id <check>", "the check id, as `gyre drift ls` shows it")
    .option("--out <file>", "where to write the HTML (default drift-<dataset>-<id>.html; - for stdout)")
    .option("--json", "print the report's id, key and file as JSON")
    .action(withSession(driftReport));
}

function driftedFeatures(event: DriftEvent__Output): string {
  const drifted = event.features.filter((feature) => feature.drifted);
  return drifted
    .map(
      (feature) =>
        `${feature.name} (${feature.test} ${formatNumber(feature.statistic)}${feature.p_value >= 0 ? `, p=${formatNumber(feature.p_value)}` : ""})`,
    )
    .join(", ");
}

export function printDriftEvents(events: readonly DriftEvent__Output[], empty: string): void {
  printTable(
    ["checked", "id", "kind", "status", "model", "share", "drifted features", "report"],
    events.map((event) => [
      timeText(event.checked_at),
      event.id,
      event.kind,
      event.status,
      versionText(event.model_version),
      `${formatNumber(event.share)}/${formatNumber(event.share_threshold)}`,
      driftedFeatures(event),
      event.report_key ? "yes" : "",
    ]),
    empty,
  );
}

async function driftReport(
  session: Session,
  dataset: string,
  options: { id?: string; out?: string } & JsonOption,
): Promise<void> {
  const monitoring = session.monitoring();
  let id = options.id;
  if (id === undefined) {
    const { events } = await monitoring.ListDriftEvents({ dataset, limit: 100, include_no_drift: false });
    id = events.find((event) => event.report_key !== "")?.id;
    if (id === undefined)
      throw new CliError(`dataset ${dataset} has no drift report yet: monitoring writes one per drift`);
  }
  const report = await monitoring.GetDriftReport({ dataset, id });
  const out = options.out ?? `drift-${dataset}-${id.replace(/[^A-Za-z0-9._-]/g, "_")}.html`;
  if (out === "-") {
    process.stdout.write(report.html);
    return;
  }
  writeFileSync(out, report.html);
  if (options.json) return printJson({ dataset, id, reportKey: report.report_key, file: out });
  printLine(`drift report ${id} of dataset ${dataset} written to ${out}`);
}
