import type { EventHandler } from "@gyre/bus";
import type { DataValidated } from "@gyre/contracts";
import { InvalidFeatureValueError } from "@gyre/model";
import type { SpecStore } from "@gyre/spec";
import { ATTR } from "@gyre/telemetry";
import { withTransforms } from "./batchInputs.ts";
import type { Champion, Champions } from "./champions.ts";
import { type ObserveDeps, observe, outcomeFields, type Unscored } from "./observe.ts";
import { type PrequentialScore, scoreBatch } from "./performance.ts";
import { seasonOf } from "./seasonalReference.ts";
import { readValidatedRows } from "./validatedRows.ts";
import { currentSpec, projectRows, testedColumns } from "./windowSources.ts";

export interface BatchHandlerDeps extends ObserveDeps {
  specs: SpecStore;
  champions: Champions;
}

/**
 * data.validated: the batch's valid rows (from S3) join the dataset's batch window, and a labelled batch is scored
 * by the champion held now, before the trainer sees it (it trains on features.updated, which comes later).
 */
export function validatedBatchHandler(deps: BatchHandlerDeps): EventHandler {
  return async (event, ctx) => {
    const batch = event.data as DataValidated;
    const { dataset, batchId } = batch;
    ctx.span.setAttribute(ATTR.batchId, batchId);
    const spec = await currentSpec(deps.specs, dataset);
    const rows = withTransforms(spec, await readValidatedRows(deps.store, batch));
    const champion = await deps.champions.current(dataset);
    const unscored = champion ? trainedOn(champion, batchId) : null;
    // A tfjs champion is scored at once (no await before predict), so its bundle cannot be disposed mid-prediction;
    // an ONNX champion's session is left to the garbage collector when replaced (Champions.record).
    const score =
      champion && unscored === null ? await scoreOrSkip(deps, champion, rows, spec.promotion.metric, batchId) : null;
    const columns = testedColumns(spec, "batches");
    const outcome = await observe(deps, {
      dataset,
      spec,
      source: "batches",
      batchId,
      rows: projectRows(rows, columns),
      columns,
      champion,
      score,
      unscored,
      seasons: rows.map((row) => seasonOf(row[spec.eventTime])),
    });
    if (champion) ctx.span.setAttribute(ATTR.championVersion, champion.version);
    const fields = { dataset, batchId, rows: rows.length, championVersion: champion?.version ?? null };
    if (outcome.duplicate) deps.log.info({ event: "batch.already_monitored", ...fields }, "batch already monitored");
    else {
      if (unscored) {
        deps.log.info(
          { event: "performance.unscored", ...fields, reason: "trained-on-batch", detail: unscored.reason },
          "batch not scored: the champion trained on it",
        );
      }
      deps.log.info({ event: "batch.monitored", ...fields, ...outcomeFields(outcome) }, "batch monitored");
    }
  };
}

/**
 * Test, then train: a champion whose training snapshot holds the batch has seen its rows and may not score it (this
 * happens when monitoring falls behind the trainer). Null when the champion may score it.
 */
export function trainedOn(champion: Champion, batchId: string): Unscored | null {
  if (!champion.trainedBatchIds.has(batchId)) return null;
  return {
    modelVersion: champion.version,
    runId: champion.runId,
    reason: `champion version ${champion.version} (run ${champion.runId}) trained on batch ${batchId}: its training snapshot holds the batch, so it cannot score it before training on it`,
  };
}

async function scoreOrSkip(
  deps: Pick<ObserveDeps, "log">,
  champion: Champion,
  rows: readonly Record<string, unknown>[],
  metric: PrequentialScore["metric"],
  batchId: string,
): Promise<PrequentialScore | null> {
  const base = { dataset: champion.dataset, batchId, version: champion.version, metric };
  try {
    const score = await scoreBatch(champion.bundle, rows, metric);
    if ("skipped" in score) {
      if (score.skipped !== "no-labelled-rows") {
        deps.log.warn(
          { event: "performance.unscored", ...base, reason: score.skipped, rows: score.rows },
          "batch not scored",
        );
      }
      return null;
    }
    return score;
  } catch (error) {
    if (!(error instanceof InvalidFeatureValueError)) throw error;
    deps.log.warn(
      { event: "performance.unscored", ...base, reason: "bad-feature-value", err: error },
      "batch not scored",
    );
    return null;
  }
}
