import { type EventHandler, PermanentError } from "@gyre/bus";
import type { PredictionsLogged } from "@gyre/contracts";
import { LABEL } from "@gyre/telemetry";
import type { BatchHandlerDeps } from "./batchHandler.ts";
import { recordServedPredictions } from "./labelFeedback.ts";
import { MONITORING_LABEL } from "./metrics.ts";
import { observe, outcomeFields } from "./observe.ts";
import { currentSpec, projectRows, testedColumns } from "./windowSources.ts";

/**
 * predictions.logged: the champion's logged inputs join the dataset's predictions window (the event id is the batch
 * id, so a redelivery adds nothing). Other roles (challenger, shadow, canary) are counted but not windowed: they
 * see the same traffic, or a slice of it, and would count it twice.
 */
export function predictionsHandler(deps: BatchHandlerDeps): EventHandler {
  return async (event) => {
    const logged = event.data as PredictionsLogged;
    const { dataset } = logged;
    // Serving predicts only with a registered model; monitoring may not have seen its model.promoted yet, so ask.
    const champion = (await deps.champions.current(dataset)) ?? (await deps.champions.refresh(dataset));
    if (champion === null) {
      throw new PermanentError(
        `predictions of dataset "${dataset}" model version ${logged.modelVersion}: the registry has no champion for that dataset`,
      );
    }
    const spec = await currentSpec(deps.specs, dataset);
    // Every role's answers, once each, for label feedback (a redelivery inserts nothing).
    await recordServedPredictions(deps.pool, logged);
    const columns = testedColumns(spec, "predictions");
    const inputs = logged.role === "champion" ? logged.records.map((record) => record.inputs) : [];
    const outcome = await observe(deps, {
      dataset,
      spec,
      source: "predictions",
      batchId: event.id,
      rows: projectRows(inputs, columns),
      columns,
      champion,
      score: null,
    });
    const fields = {
      dataset,
      eventId: event.id,
      modelVersion: logged.modelVersion,
      role: logged.role,
      records: logged.records.length,
    };
    if (outcome.duplicate) {
      deps.log.info({ event: "predictions.already_monitored", ...fields }, "predictions already monitored");
      return;
    }
    deps.metrics.predictionsLogged.inc(
      {
        [LABEL.dataset]: dataset,
        [LABEL.modelVersion]: String(logged.modelVersion),
        [MONITORING_LABEL.role]: logged.role,
      },
      logged.records.length,
    );
    deps.log.info({ event: "predictions.monitored", ...fields, ...outcomeFields(outcome) }, "predictions monitored");
  };
}
