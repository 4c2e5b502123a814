import type { ChampionChange__Output } from "@gyre/grpc";
import type { Command } from "commander";
import { formatMetrics, printFields, printJson, printLine, printTable, timeText, versionText } from "../output.ts";
import { positiveInteger, withSession } from "../run.ts";
import type { Session } from "../session.ts";
import { defaultActor } from "./datasets.ts";
import { registerModelCommand } from "./registerModel.ts";

interface JsonOption {
  json?: boolean;
}

export function registerModels(program: Command): void {
  const models = program.command("models").description("The model registry: versions, champion, promotion, lineage");

  models
    .command("ls")
    .description("Every dataset with a registered model, with its champion and challenger")
    .option("--json", "print as JSON")
    .action(
      withSession(async (session, options: JsonOption) => {
        const { models: list } = await session.registry().ListModels({});
        if (options.json) return printJson(list);
        printTable(
          ["dataset", "champion", "challenger", "latest", "versions", "created"],
          list.map((model) => [
            model.dataset,
            versionText(model.champion_version),
            versionText(model.challenger_version),
            versionText(model.latest_version),
            Number(model.version_count),
            timeText(model.created_at),
          ]),
          "no registered models yet: they appear when the trainer finishes a run",
        );
      }),
    );

  models
    .command("get")
    .description("A dataset's versions with status, aliases and metrics, and its audit trail")
    .argument("<dataset>")
    .option("--json", "print as JSON")
    .action(
      withSession(async (session, dataset: string, options: JsonOption) => {
        const model = await session.registry().GetModel({ dataset });
        if (options.json) return printJson(model);
        printLine(`dataset ${model.dataset}: ${model.versions.length} versions since ${timeText(model.created_at)}`);
        printLine();
        printTable(
          ["version", "status", "aliases", "metrics", "vs champion", "run", "created"],
          model.versions.map((version) => [
            versionText(version.version),
            version.status,
            version.aliases.join(","),
            formatMetrics(version.metrics),
            Number(version.compared_with_version) > 0
              ? `${versionText(version.compared_with_version)}: ${formatMetrics(version.champion_metrics)}`
              : "",
            version.run_id,
            timeText(version.created_at),
          ]),
        );
        if (model.audit.length > 0) {
          printLine();
          printTable(
            ["at", "action", "from", "to", "actor", "reason"],
            model.audit.map((entry) => [
              timeText(entry.at),
              entry.action,
              versionText(entry.from_version),
              versionText(entry.to_version),
              entry.actor,
              entry.reason,
            ]),
          );
        }
      }),
    );

  registerModelCommand(models);

  changeCommand(models.command("promote"))
    .description("Point the champion at a version by hand (published as model.promoted with actor and reason)")
    .argument("<dataset>")
    .argument("<version>", "the version to serve", positiveInteger("version"))
    .action(
      withSession(async (session, dataset: string, version: number, options: ChangeOptions) => {
        const change = await session.registry().Promote({ dataset, version, ...changeFields(options) });
        printChange(change, options.json);
      }),
    );

  changeCommand(models.command("rollback"))
    .description("Point the champion back at the one before it")
    .argument("<dataset>")
    .action(
      withSession(async (session, dataset: string, options: ChangeOptions) => {
        const change = await session.registry().Rollback({ dataset, ...changeFields(options) });
        printChange(change, options.json);
      }),
    );

  models
    .command("lineage")
    .description("Where a version came from: run, snapshot, spec revision, and the raw batches with their sha256")
    .argument("<dataset>")
    .argument("<version>", "", positiveInteger("version"))
    .option("--json", "print as JSON")
    .action(withSession(lineage));
}

interface ChangeOptions extends JsonOption {
  reason: string;
  actor: string;
  requestId?: string;
}

/** The options a champion change takes: who, why, and an idempotency key. */
function changeCommand(command: Command): Command {
  return command
    .requiredOption("--reason <why>", "recorded in the audit trail")
    .option("--actor <who>", "who asked (GYRE_ACTOR, else the login name)", defaultActor())
    .option("--request-id <id>", "idempotency key: a retry with the same id changes nothing")
    .option("--json", "print the change as JSON");
}

function changeFields(options: ChangeOptions): { actor: string; reason: string; request_id: string } {
  return { actor: options.actor, reason: options.reason, request_id: options.requestId ?? "" };
}

function printChange(change: ChampionChange__Output, json: boolean | undefined): void {
  if (json) {
    printJson(change);
    return;
  }
  printLine(
    `dataset ${change.dataset}: champion ${versionText(change.previous_version)} -> ${versionText(change.version)} (model.promoted ${change.event_id})`,
  );
}

async function lineage(session: Session, dataset: string, version: number, options: JsonOption): Promise<void> {
  const found = await session.registry().GetLineage({ dataset, version });
  if (options.json) return printJson(found);
  printFields([
    ["dataset", found.dataset],
    ["version", versionText(found.version)],
    ["run", found.run_id],
    ["trigger", found.trigger ? `${found.trigger.reason} ${found.trigger.event_ids.join(", ")}`.trim() : ""],
    ["snapshot", found.snapshot_id],
    ["spec revision", Number(found.spec_revision)],
    ["code version", found.code_version],
    ["backend", found.backend],
    ["artifact", found.artifact_key],
    ["batches", found.batches.length],
    ...(found.external
      ? ([
          [
            "external",
            `${found.external.format}, sha256 ${found.external.sha256}, registered by ${found.external.registered_by} at ${timeText(found.external.registered_at)}, preprocessing ${found.external.preprocessing}`,
          ],
        ] as [string, string][])
      : []),
  ]);
  if (found.batches.length > 0) {
    printLine();
    printTable(
      ["batch", "sha256"],
      found.batches.map((batch) => [batch.batch_id, batch.sha256]),
    );
  }
}
