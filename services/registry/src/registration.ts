import type { ModelTrained } from "@gyre/contracts";
import { withTransaction } from "@gyre/db";
import type pg from "pg";
import { currentAliases, dropChallenger, lockOrCreateModel, pointChallenger, pointChampion } from "./aliases.ts";
import {
  type DecisionEvent,
  decisionById,
  insertAudit,
  insertDecision,
  policyEventId,
  promotedEvent,
  rejectedEvent,
  type StoredDecision,
} from "./decisions.ts";
import { decidePromotion, type PromotionPolicy } from "./promotion.ts";

export const POLICY_ACTOR = "registry";

/** Where a model trained outside Gyre came from (RegisterExternalModel); recorded with its version. */
export interface ExternalOrigin {
  format: "onnx";
  sha256: string;
  registeredBy: string;
  registeredAt: string;
  preprocessing: string;
}

export type Registration =
  | { created: true; version: number; promoted: boolean; reason: string; event: DecisionEvent }
  | { created: false; version: number; decision: StoredDecision | null };

/**
 * Registers the run as the dataset's next version and applies the promotion policy, in one transaction that holds
 * the dataset's models row: the version number (max + 1), the version row, the alias moves, the audit row and the
 * decision's event all commit together or not at all. A run already registered changes nothing.
 */
export function registerVersion(
  pool: pg.Pool,
  trained: ModelTrained,
  policy: PromotionPolicy,
  external: ExternalOrigin | null = null,
): Promise<Registration> {
  const { dataset } = trained;
  return withTransaction(pool, async (client) => {
    await lockOrCreateModel(client, dataset);
    const earlier = await registeredVersion(client, trained.runId);
    if (earlier !== null) return { created: false, ...earlier };

    const version = await nextVersion(client, dataset);
    const aliases = await currentAliases(client, dataset);
    const evaluated =
      trained.championVersion === null || trained.championMetrics === null
        ? null
        : { version: trained.championVersion, metrics: trained.championMetrics };
    const decision = decidePromotion({ policy, candidate: trained.metrics, evaluated, champion: aliases.champion });
    await insertVersion(client, trained, version, decision.reason, external);

    if (decision.promote) {
      await pointChampion(client, dataset, version, aliases);
      await dropChallenger(client, dataset, aliases);
    } else {
      await pointChallenger(client, dataset, version, aliases);
    }
    const auditId = await insertAudit(client, {
      dataset,
      action: decision.promote ? "promote" : "reject",
      fromVersion: aliases.champion,
      toVersion: version,
      actor: POLICY_ACTOR,
      reason:
        external === null
          ? decision.reason
          : `external model registered by ${external.registeredBy}: ${decision.reason}`,
    });
    const data = {
      dataset,
      version,
      previousVersion: aliases.champion,
      reason: decision.reason,
      runId: trained.runId,
      metrics: trained.metrics,
    };
    const event = decision.promote
      ? promotedEvent(policyEventId("promoted", dataset, version), data)
      : rejectedEvent(policyEventId("rejected", dataset, version), data);
    await insertDecision(client, auditId, event);
    await client.query("DELETE FROM refused_runs WHERE run_id = $1", [trained.runId]);
    return { created: true, version, promoted: decision.promote, reason: decision.reason, event };
  });
}

/** The version a run was registered as, with the policy's decision on it; null when the run is not registered. */
export async function registeredVersion(
  db: pg.Pool | pg.PoolClient,
  runId: string,
): Promise<{ version: number; decision: StoredDecision | null } | null> {
  const { rows } = await db.query<{ dataset: string; version: number }>(
    "SELECT dataset, version FROM versions WHERE run_id = $1",
    [runId],
  );
  const row = rows[0];
  if (row === undefined) return null;
  const decision =
    (await decisionById(db, policyEventId("promoted", row.dataset, row.version))) ??
    (await decisionById(db, policyEventId("rejected", row.dataset, row.version)));
  return { version: row.version, decision };
}

async function nextVersion(client: pg.PoolClient, dataset: string): Promise<number> {
  const { rows } = await client.query<{ next: number }>(
    "SELECT coalesce(max(version), 0) + 1 AS next FROM versions WHERE dataset = $1",
    [dataset],
  );
  return Number(rows[0]?.next);
}

async function insertVersion(
  client: pg.PoolClient,
  trained: ModelTrained,
  version: number,
  decisionReason: string,
  external: ExternalOrigin | null,
): Promise<void> {
  await client.query(
    `INSERT INTO versions (dataset, version, run_id, artifact_key, metrics, champion_version, champion_metrics,
       spec_revision, backend, code_version, trigger, snapshot, status, decision_reason, external)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'registered', $13, $14)`,
    [
      trained.dataset,
      version,
      trained.runId,
      trained.artifactKey,
      JSON.stringify(trained.metrics),
      trained.championVersion,
      trained.championMetrics === null ? null : JSON.stringify(trained.championMetrics),
      trained.specRevision,
      trained.backend,
      trained.codeVersion ?? null,
      JSON.stringify(trained.trigger),
      JSON.stringify(trained.snapshot),
      decisionReason,
      external === null ? null : JSON.stringify(external),
    ],
  );
}
