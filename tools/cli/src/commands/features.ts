import type { FeatureValue__Output } from "@gyre/grpc";
import type { Command } from "commander";
import { printJson, printLine, printTable } from "../output.ts";
import { withSession } from "../run.ts";
import type { Session } from "../session.ts";

interface GetOptions {
  entity?: string[];
  at?: string;
  json?: boolean;
}

export function registerFeatures(program: Command): void {
  const features = program.command("features").description("The feature store's online features");
  features
    .command("get")
    .description(
      "The feature vector a request for an entity gets at a time (default now): lags and rolling means from the " +
        "entity's rows before it, the latest row's features",
    )
    .argument("<dataset>")
    .option("--entity <key...>", "entity keys (the spec's entityKey values); none for a dataset without one")
    .option("--at <time>", "ISO 8601 date or time (UTC without an offset); default now")
    .option("--json", "print as JSON")
    .action(withSession(getFeatures));
}

function cellOf(value: FeatureValue__Output | undefined): string | number | boolean | null {
  if (!value?.kind || value.kind === "null_value") return null;
  return value[value.kind] ?? null;
}

async function getFeatures(session: Session, dataset: string, options: GetOptions): Promise<void> {
  const response = await session
    .featureStore()
    .GetOnlineFeatures({ dataset, entity_keys: options.entity ?? [], at: options.at ?? "" });
  const entities = response.entities.map((entity) => ({
    entity: entity.entity_key,
    found: entity.found,
    latestRow: entity.event_time || null,
    values: Object.fromEntries(response.columns.map((column) => [column.name, cellOf(entity.values[column.name])])),
  }));
  if (options.json)
    return printJson({ dataset, at: response.at, specRevision: Number(response.spec_revision), entities });
  printLine(`dataset ${dataset} at ${response.at} (spec revision ${response.spec_revision})`);
  printTable(
    ["column", "role", ...entities.map((entity) => (entity.entity === "" ? "value" : entity.entity))],
    response.columns.map((column) => [
      column.name,
      column.role.replace("COLUMN_ROLE_", "").toLowerCase(),
      ...entities.map((entity) => {
        const value = entity.values[column.name];
        return value === null || value === undefined ? "(missing)" : String(value);
      }),
    ]),
  );
  for (const entity of entities.filter((candidate) => !candidate.found)) {
    printLine(`${entity.entity || "the dataset"}: no row before ${response.at}; a new entity's lags are missing`);
  }
}
