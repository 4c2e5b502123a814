import type { ArtifactStore } from "@gyre/artifacts";
import { type Bus, type EventHandler, PermanentError } from "@gyre/bus";
import type { GyreEvent, ModelTrained } from "@gyre/contracts";
import type { Logger } from "@gyre/log";
import { type SpecStore, UnknownSpecRevisionError } from "@gyre/spec";
import { ATTR, LABEL } from "@gyre/telemetry";
import type pg from "pg";
import { artifactProblem } from "./artifactCheck.ts";
import { publishDecision, type StoredDecision } from "./decisions.ts";
import { countPromotion, type RegistryMetrics } from "./metrics.ts";
import type { PromotionPolicy } from "./promotion.ts";
import { registeredVersion, registerVersion } from "./registration.ts";
import { recordRefusedRun } from "./runQueries.ts";

export interface RegistrationDeps {
  pool: pg.Pool;
  bus: Bus;
  specs: SpecStore;
  artifacts: ArtifactStore;
  log: Logger;
  metrics: RegistryMetrics;
}

/**
 * Handles model.trained: checks the artifact, registers the run as the dataset's next version, applies the
 * promotion policy of the run's spec revision, and publishes model.promoted or model.rejected after the commit.
 * A run already registered registers nothing: its decision is published again under the same event id.
 * A run that cannot be registered (artifact missing or empty, spec revision unknown) is recorded in refused_runs
 * and dead-lettered with the reason.
 */
export function modelTrainedHandler(deps: RegistrationDeps): EventHandler {
  return async (event, ctx) => {
    const trained = (event as GyreEvent<"model.trained">).data;
    ctx.span.setAttributes({ [ATTR.runId]: trained.runId, [ATTR.dataset]: trained.dataset });
    const earlier = await registeredVersion(deps.pool, trained.runId);
    if (earlier !== null) {
      await republish(deps, trained, earlier.version, earlier.decision);
      return;
    }
    const problem = await artifactProblem(deps.artifacts, trained.artifactKey, trained.backend);
    if (problem !== null) await refuse(deps, trained, problem);
    const policy = await promotionPolicy(deps, trained);

    const registration = await registerVersion(deps.pool, trained, policy);
    if (!registration.created) {
      await republish(deps, trained, registration.version, registration.decision);
      return;
    }
    const { version, promoted, reason } = registration;
    ctx.span.setAttribute(ATTR.modelVersion, version);
    await publishDecision(deps.bus, deps.pool, registration.event);

    deps.metrics.versionsRegistered.inc({ [LABEL.dataset]: trained.dataset });
    if (promoted) countPromotion(deps.metrics, trained.dataset, "policy", version);
    else deps.metrics.rejections.inc({ [LABEL.dataset]: trained.dataset });
    deps.log.info(
      {
        event: "version.registered",
        decision: promoted ? "promoted" : "rejected",
        dataset: trained.dataset,
        version,
        runId: trained.runId,
        previousVersion: registration.event.data.previousVersion,
        reason,
      },
      promoted ? "version registered and promoted" : "version registered, not promoted",
    );
  };
}

async function promotionPolicy(deps: RegistrationDeps, trained: ModelTrained): Promise<PromotionPolicy> {
  try {
    return (await deps.specs.get(trained.dataset, trained.specRevision)).spec.promotion;
  } catch (error) {
    if (error instanceof UnknownSpecRevisionError) return refuse(deps, trained, error.message);
    throw error;
  }
}

async function refuse(deps: RegistrationDeps, trained: ModelTrained, problem: string): Promise<never> {
  const reason = `run "${trained.runId}" of dataset "${trained.dataset}" not registered: ${problem}`;
  await recordRefusedRun(deps.pool, trained, reason);
  deps.metrics.refusedRuns.inc({ [LABEL.dataset]: trained.dataset });
  deps.log.warn(
    { event: "run.refused", dataset: trained.dataset, runId: trained.runId, artifactKey: trained.artifactKey, reason },
    "run refused",
  );
  throw new PermanentError(reason);
}

/** Publishes a registered run's decision again, unless a later decision superseded it. */
async function republish(
  deps: RegistrationDeps,
  trained: ModelTrained,
  version: number,
  decision: StoredDecision | null,
): Promise<void> {
  const fields = { dataset: trained.dataset, runId: trained.runId, version, eventId: decision?.event.id };
  if (decision === null || !decision.current) {
    deps.log.info({ event: "run.already_registered", ...fields, republished: false }, "run already registered");
    return;
  }
  const published = await publishDecision(deps.bus, deps.pool, decision.event);
  deps.log.info(
    { event: "run.already_registered", ...fields, republished: true, duplicate: published.duplicate },
    "run already registered; its decision was published again",
  );
}
