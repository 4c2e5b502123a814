import { existsSync, readFileSync } from "node:fs";
import type { Command } from "commander";
import { CliError } from "../failures.ts";
import { type FeatureRow, inferInputs, parseRowPairs, predictionsOf, requestInputs } from "../inferenceTensors.ts";
import { formatNumber, printJson, printLine, printTable } from "../output.ts";
import { positiveInteger, withSession } from "../run.ts";
import type { Session } from "../session.ts";

interface PredictOptions {
  dataset: string;
  row?: string[];
  file?: string;
  version?: number;
  json?: boolean;
}

export function registerPredict(program: Command): void {
  program
    .command("predict")
    .description("Ask serving (KServe v2 ModelInfer) for predictions of the champion, or of one version")
    .requiredOption("--dataset <name>", "the model is named by its dataset")
    .option("--row <feature=value...>", "one row of features: --row temp_max=12.3 wind=4.1 ...")
    .option("--file <csv>", "rows from a CSV with a header (columns the model does not take are ignored)")
    .option("--version <n>", "a loaded version instead of the champion", positiveInteger("--version"))
    .option("--json", "print as JSON")
    .addHelpText(
      "after",
      "\nA row carries the spec's features (the event time may be left out: now); serving computes the transforms\n" +
        "(date parts, ratios, lags and rolling means from the entity's history). `gyre predict` names any that are missing.",
    )
    .action(withSession(predict));
}

async function readRows(options: PredictOptions): Promise<{ rows: FeatureRow[]; fromFile: boolean }> {
  if ((options.row === undefined) === (options.file === undefined)) {
    throw new CliError("give the rows with --row feature=value ... or with --file <csv>, one of the two");
  }
  if (options.row) return { rows: [parseRowPairs(options.row)], fromFile: false };
  const file = options.file ?? "";
  if (!existsSync(file)) throw new CliError(`CSV file ${JSON.stringify(file)}: no such file`);
  const { parse } = await import("csv-parse/sync");
  const rows = parse(readFileSync(file, "utf8"), { columns: true, bom: true, skip_empty_lines: true }) as FeatureRow[];
  if (rows.length === 0) throw new CliError(`CSV file ${JSON.stringify(file)} has no rows after its header`);
  return { rows, fromFile: true };
}

async function predict(session: Session, options: PredictOptions): Promise<void> {
  const { rows, fromFile } = await readRows(options);
  const serving = session.serving();
  const version = options.version === undefined ? "" : String(options.version);
  const metadata = await serving.ModelMetadata({ name: options.dataset, version });
  const inputs = inferInputs(requestInputs(metadata), rows, fromFile);
  const response = await serving.ModelInfer({ model_name: options.dataset, model_version: version, inputs });
  const predictions = predictionsOf(response, rows.length);
  if (options.json) {
    return printJson({ dataset: options.dataset, modelVersion: response.model_version, id: response.id, predictions });
  }
  printLine(`model ${options.dataset} version ${response.model_version}`);
  const first = predictions[0];
  if (first && "label" in first) {
    printTable(
      ["row", "prediction", "probability", "probabilities"],
      predictions.map((prediction, row) =>
        "label" in prediction
          ? [
              row + 1,
              prediction.label,
              prediction.probability,
              Object.entries(prediction.probabilities)
                .map(([name, p]) => `${name}=${formatNumber(p)}`)
                .join(" "),
            ]
          : [row + 1],
      ),
    );
  } else {
    printTable(
      ["row", "prediction"],
      predictions.map((prediction, row) => [row + 1, "value" in prediction ? prediction.value : ""]),
    );
  }
}
