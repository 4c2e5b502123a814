import { createReadStream, existsSync, readFileSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { basename, extname } from "node:path";
import type { SpecRevision } from "@gyre/spec";
import type { Command } from "commander";
import { CliError } from "../failures.ts";
import { note, printFields, printJson, printLine, printTable, timeText } from "../output.ts";
import { positiveInteger, withSession } from "../run.ts";

interface JsonOption {
  json?: boolean;
}

/** Whoever runs the CLI, for the spec's `actor`: GYRE_ACTOR, else the login name. */
export function defaultActor(): string {
  if (process.env.GYRE_ACTOR) return process.env.GYRE_ACTOR;
  try {
    return userInfo().username || "gyre-cli";
  } catch {
    return "gyre-cli";
  }
}

function readText(file: string, what: string): string {
  if (!existsSync(file)) throw new CliError(`${what} ${JSON.stringify(file)}: no such file`);
  return readFileSync(file, "utf8");
}

export function registerDatasets(program: Command): void {
  const datasets = program
    .command("datasets")
    .alias("spec")
    .description("Dataset specs: apply, list, show, and draft one from a CSV");

  datasets
    .command("apply")
    .description("Validate a dataset spec (YAML or JSON) and store it as the dataset's next revision")
    .argument("<file>", "spec file (.yaml, .yml or .json)")
    .option("--name <dataset>", "store it under this dataset name instead of the file's `name`")
    .option("--actor <who>", "recorded with the revision (GYRE_ACTOR, else the login name)", defaultActor())
    .option("--json", "print the result as JSON")
    .action(
      withSession(async (session, file: string, options: { name?: string; actor: string } & JsonOption) => {
        const text = readText(file, "spec file");
        const { parseDatasetSpec } = await import("@gyre/spec");
        const parsed = parseDatasetSpec(text, extname(file).toLowerCase() === ".json" ? "json" : "yaml");
        const spec = options.name === undefined ? parsed : { ...parsed, name: options.name };
        const specs = await session.specs();
        const result = await specs.apply(spec, { actor: options.actor });
        if (options.json) return printJson({ namespace: session.namespace, ...result });
        printLine(
          result.changed
            ? `dataset ${result.dataset}: applied revision ${result.revision}`
            : `dataset ${result.dataset}: unchanged, still revision ${result.revision}`,
        );
      }),
    );

  datasets
    .command("ls")
    .description("List the datasets that have a spec, with their current revision")
    .option("--json", "print the list as JSON")
    .action(
      withSession(async (session, options: JsonOption) => {
        const specs = await session.specs();
        const current: SpecRevision[] = [];
        for (const name of await specs.list()) current.push(await specs.current(name));
        if (options.json) {
          return printJson(
            current.map(({ dataset, revision, appliedAt, actor, digest, spec }) => ({
              dataset,
              revision,
              appliedAt,
              actor: actor ?? null,
              digest,
              label: spec.label.name,
              features: spec.features.length,
              model: spec.model.kind,
            })),
          );
        }
        printTable(
          ["dataset", "revision", "label", "features", "model", "applied", "by"],
          current.map((entry) => [
            entry.dataset,
            entry.revision,
            entry.spec.label.name,
            entry.spec.features.length,
            entry.spec.model.kind,
            timeText(entry.appliedAt),
            entry.actor,
          ]),
          `no datasets in namespace "${session.namespace}": apply a spec with \`gyre datasets apply <file>\``,
        );
      }),
    );

  datasets
    .command("get")
    .description("Print a dataset's spec (YAML by default), the current revision or an older one")
    .argument("<dataset>")
    .option("--revision <n>", "an older revision", positiveInteger("--revision"))
    .option("--json", "print the revision with its metadata as JSON")
    .action(
      withSession(async (session, dataset: string, options: { revision?: number } & JsonOption) => {
        const specs = await session.specs();
        const entry =
          options.revision === undefined ? await specs.current(dataset) : await specs.get(dataset, options.revision);
        if (options.json) return printJson(entry);
        const { stringifySpec } = await import("@gyre/spec");
        const by = entry.actor === undefined ? "" : ` by ${entry.actor}`;
        printLine(`# dataset ${entry.dataset}, revision ${entry.revision}, applied ${entry.appliedAt}${by}`);
        process.stdout.write(stringifySpec(entry.spec));
      }),
    );

  datasets
    .command("infer")
    .description("Draft a spec from a CSV with a header row; review it, then `gyre datasets apply` it")
    .argument("<csv>", "CSV file")
    .requiredOption("--name <dataset>", "dataset name of the draft")
    .option("--label <column>", "the label column (default: the last column)")
    .option("--event-time <column>", "the event-time column (default: the first timestamp column)")
    .option("--entity-key <column>", "the entity key column")
    .option(
      "--max-categories <n>",
      "text columns with at most this many values are categorical",
      positiveInteger("--max-categories"),
    )
    .option("--out <file>", "write the draft here instead of stdout")
    .option("--json", "write the draft as JSON")
    .action(
      async (
        csv: string,
        options: {
          name: string;
          label?: string;
          eventTime?: string;
          entityKey?: string;
          maxCategories?: number;
          out?: string;
        } & JsonOption,
      ) => {
        if (!existsSync(csv)) throw new CliError(`CSV file ${JSON.stringify(csv)}: no such file`);
        const { inferDatasetSpec, stringifySpec } = await import("@gyre/spec");
        const inferred = await inferDatasetSpec(createReadStream(csv), {
          name: options.name,
          ...(options.label === undefined ? {} : { label: options.label }),
          ...(options.eventTime === undefined ? {} : { eventTime: options.eventTime }),
          ...(options.entityKey === undefined ? {} : { entityKey: options.entityKey }),
          ...(options.maxCategories === undefined ? {} : { maxCategories: options.maxCategories }),
        });
        const header = [
          `# Draft spec for dataset ${inferred.spec.name}, inferred from ${basename(csv)} (${inferred.rows} rows).`,
          "# Review ranges, categories and policies before `gyre datasets apply`.",
          ...inferred.notes.map((line) => `# - ${line}`),
        ];
        const document = options.json
          ? stringifySpec(inferred.spec, "json")
          : `${header.join("\n")}\n${stringifySpec(inferred.spec)}`;
        if (options.out === undefined) {
          process.stdout.write(document);
        } else {
          writeFileSync(options.out, document);
          printFields([
            ["draft", options.out],
            ["dataset", inferred.spec.name],
            ["rows read", inferred.rows],
            ["features", inferred.spec.features.length],
            ["label", inferred.spec.label.name],
          ]);
        }
        // The YAML draft on stdout carries the notes as comments already.
        if (options.out !== undefined || options.json) for (const line of inferred.notes) note(`note: ${line}`);
      },
    );
}
