import type { Bus } from "@gyre/bus";
import { GrpcStatus, grpcError, type ModelRegistryHandlers } from "@gyre/grpc";
import type { Logger } from "@gyre/log";
import type pg from "pg";
import { type ChampionChange, promoteByHand, rollback } from "./championChange.ts";
import { publishDecision } from "./decisions.ts";
import { type ExternalRegistrationDeps, registerExternalModel } from "./externalRegistration.ts";
import {
  championChangeMessage,
  championMessage,
  comparisonMessage,
  lineageMessage,
  modelMessage,
  modelSummaryMessage,
  runMessage,
} from "./messages.ts";
import { countPromotion, type RegistryMetrics } from "./metrics.ts";
import { getChampion, getLineage, getModel, listModels } from "./modelQueries.ts";
import {
  datasetArgument,
  limitArgument,
  MAX_ACTOR_LENGTH,
  MAX_REASON_LENGTH,
  requestIdArgument,
  runIdArgument,
  textArgument,
  versionArgument,
} from "./rpcArguments.ts";
import { unary } from "./rpcStatus.ts";
import { getRun, listRuns } from "./runQueries.ts";

export interface RegistryRpcDeps {
  pool: pg.Pool;
  bus: Bus;
  log: Logger;
  metrics: RegistryMetrics;
  /** For RegisterExternalModel; without it the call answers UNAVAILABLE. */
  external?: ExternalRegistrationDeps;
}

/** The gyre.registry.v1.ModelRegistry service. */
export function registryHandlers(deps: RegistryRpcDeps): ModelRegistryHandlers {
  return {
    ListModels: unary(deps, "ListModels", async () => ({
      models: (await listModels(deps.pool)).map(modelSummaryMessage),
    })),

    GetModel: unary(deps, "GetModel", async (request) =>
      modelMessage(await getModel(deps.pool, datasetArgument(request.dataset))),
    ),

    GetChampion: unary(deps, "GetChampion", async (request) =>
      championMessage(await getChampion(deps.pool, datasetArgument(request.dataset))),
    ),

    Promote: unary(deps, "Promote", async (request) => {
      const change = await promoteByHand(deps.pool, {
        dataset: datasetArgument(request.dataset),
        version: versionArgument(request.version),
        ...changeArguments(request),
      });
      await announce(deps, change, "manual");
      return championChangeMessage(change);
    }),

    Rollback: unary(deps, "Rollback", async (request) => {
      const change = await rollback(deps.pool, {
        dataset: datasetArgument(request.dataset),
        ...changeArguments(request),
      });
      await announce(deps, change, "rollback");
      return championChangeMessage(change);
    }),

    RegisterExternalModel: unary(deps, "RegisterExternalModel", async (request) => {
      if (deps.external === undefined) {
        throw grpcError(
          GrpcStatus.UNAVAILABLE,
          "this registry takes no external models (no artifact store or trainer)",
        );
      }
      return registerExternalModel(deps.external, request);
    }),

    GetLineage: unary(deps, "GetLineage", async (request) =>
      lineageMessage(await getLineage(deps.pool, datasetArgument(request.dataset), versionArgument(request.version))),
    ),

    ListRuns: unary(deps, "ListRuns", async (request) => {
      const dataset = request.dataset === "" ? null : datasetArgument(request.dataset);
      const runs = await listRuns(deps.pool, dataset, limitArgument(request.limit));
      return { runs: runs.map(runMessage) };
    }),

    GetRun: unary(deps, "GetRun", async (request) =>
      runMessage(await getRun(deps.pool, runIdArgument(request.run_id))),
    ),

    CompareRuns: unary(deps, "CompareRuns", async (request) => {
      const idA = runIdArgument(request.run_id_a, "run_id_a");
      const idB = runIdArgument(request.run_id_b, "run_id_b");
      return comparisonMessage(await getRun(deps.pool, idA), await getRun(deps.pool, idB));
    }),
  };
}

function changeArguments(request: { actor: string; reason: string; request_id: string }) {
  return {
    actor: textArgument(request.actor, "actor", MAX_ACTOR_LENGTH),
    reason: textArgument(request.reason, "reason", MAX_REASON_LENGTH),
    requestId: requestIdArgument(request.request_id),
  };
}

/**
 * Publishes the change's model.promoted (again, for a repeated request) unless a later promotion superseded it.
 * The change is committed by now: when the publish fails, the call fails, and calling again publishes the same
 * event id (a repeated request, or a promote of the current champion, answers with the stored change).
 */
async function announce(deps: RegistryRpcDeps, change: ChampionChange, path: "manual" | "rollback"): Promise<void> {
  const { dataset, version, previousVersion, event } = change;
  if (change.current) {
    try {
      await publishDecision(deps.bus, deps.pool, event);
    } catch (error) {
      deps.log.error({ err: error, event: "decision.publish_failed", eventId: event.id, dataset }, "publish failed");
      throw grpcError(
        GrpcStatus.UNAVAILABLE,
        `dataset "${dataset}": version ${version} is champion, but model.promoted "${event.id}" was not published ` +
          `(${(error as Error).message}); call again (with the same request_id) to publish it`,
      );
    }
  }
  if (!change.changed) return;
  countPromotion(deps.metrics, dataset, path, version);
  deps.log.info(
    {
      event: "champion.changed",
      action: path,
      dataset,
      version,
      previousVersion,
      actor: event.data.actor,
      auditId: change.auditId,
      eventId: event.id,
    },
    path === "rollback" ? "champion rolled back" : "champion promoted by hand",
  );
}
