import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { CliError } from "../failures.ts";
import { formatMetrics, printFields, printJson, versionText } from "../output.ts";
import { withSession } from "../run.ts";
import { defaultActor } from "./datasets.ts";

/** The trainer exports a snapshot and scores the model and the champion: minutes, not the usual 15 s. */
const REGISTER_TIMEOUT_MS = 10 * 60_000;

interface RegisterOptions {
  dataset: string;
  onnx: string;
  preprocessing: string;
  actor: string;
  reason?: string;
  json?: boolean;
}

/** `gyre models register`: a model trained elsewhere (ONNX) into the registry, under the promotion policy. */
export function registerModelCommand(models: Command): void {
  models
    .command("register")
    .description(
      "Register a model trained outside Gyre (ONNX, e.g. torch.onnx.export): checked against the dataset's spec, " +
        "scored with the champion on the same holdout, promoted or kept as challenger by the spec's policy",
    )
    .requiredOption("--dataset <name>", "the dataset whose spec the model fits")
    .requiredOption("--onnx <file>", "the ONNX file (docs/external-models.md: what it takes and answers)")
    .option(
      "--preprocessing <kind>",
      'what the model expects: "none" (the spec\'s raw model inputs) or "gyre" (Gyre\'s fitted preprocessing of them, one [N, F] input)',
      "none",
    )
    .option("--actor <who>", "who registers it (GYRE_ACTOR, else the login name)", defaultActor())
    .option("--reason <why>", "recorded in the audit trail")
    .option("--json", "print the answer as JSON")
    .action(
      withSession(async (session, options: RegisterOptions) => {
        let model: Buffer;
        try {
          model = await readFile(options.onnx);
        } catch (error) {
          throw new CliError(`--onnx ${options.onnx}: cannot read the file (${(error as NodeJS.ErrnoException).code})`);
        }
        const answer = await session.registry().RegisterExternalModel(
          {
            dataset: options.dataset,
            format: "onnx",
            model,
            preprocessing: options.preprocessing,
            actor: options.actor,
            reason: options.reason ?? "",
          },
          { timeoutMs: REGISTER_TIMEOUT_MS },
        );
        if (options.json) return printJson(answer);
        printFields([
          ["dataset", answer.dataset],
          ["version", `${versionText(answer.version)}${answer.created ? "" : " (registered before; nothing changed)"}`],
          ["decision", answer.promoted ? "promoted: champion" : "not promoted: challenger"],
          ["reason", answer.decision_reason],
          ["sha256", answer.sha256],
          ["artifact", answer.artifact_key],
          ["metrics", formatMetrics(answer.metrics)],
          [
            "vs champion",
            Number(answer.compared_with_version) > 0
              ? `${versionText(answer.compared_with_version)}: ${formatMetrics(answer.champion_metrics)}`
              : "none",
          ],
        ]);
      }),
    );
}
