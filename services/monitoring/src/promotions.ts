import { type EventHandler, PermanentError } from "@gyre/bus";
import type { ModelPromoted } from "@gyre/contracts";
import type { Logger } from "@gyre/log";
import type pg from "pg";
import type { Champions } from "./champions.ts";
import type { RegistryClient, RunTrigger } from "./registryClient.ts";

export interface PromotionRecord {
  dataset: string;
  eventId: string;
  version: number;
  previousVersion: number | null;
  runId: string;
  promotedAt: Date;
  trigger: RunTrigger | null;
}

export interface RecordedPromotion {
  inserted: boolean;
  afterDriftEventId: string | null;
  triggeredByDrift: boolean;
}

/**
 * Records a champion change once, with the drift it answers: the drift event the run's trigger names, if it is one of
 * this dataset's; otherwise the latest drift.detected published since the promotion before this one.
 */
export async function recordPromotion(pool: pg.Pool, promotion: PromotionRecord): Promise<RecordedPromotion> {
  const { dataset, promotedAt } = promotion;
  const triggerIds = promotion.trigger?.eventIds ?? [];
  const named = await pool.query<{ event_id: string; kind: string; checked_at: Date }>(
    `SELECT event_id, kind, checked_at FROM drift_checks
     WHERE dataset = $1 AND event_id = ANY($2::text[]) ORDER BY checked_at DESC LIMIT 1`,
    [dataset, triggerIds],
  );
  const latest = await pool.query<{ event_id: string; kind: string; checked_at: Date }>(
    `SELECT event_id, kind, checked_at FROM drift_checks
     WHERE dataset = $1 AND status = 'published' AND checked_at < $2
       AND checked_at > COALESCE(
         (SELECT max(promoted_at) FROM promotions WHERE dataset = $1 AND promoted_at < $2 AND event_id <> $3),
         '-infinity')
     ORDER BY checked_at DESC LIMIT 1`,
    [dataset, promotedAt, promotion.eventId],
  );
  const drift = named.rows[0] ?? latest.rows[0];
  const triggeredByDrift = named.rows[0] !== undefined;
  const inserted = await pool.query(
    `INSERT INTO promotions (dataset, event_id, version, previous_version, run_id, promoted_at, after_drift_event_id,
       after_drift_kind, seconds_after_drift, trigger_reason, trigger_event_ids, triggered_by_drift)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING`,
    [
      dataset,
      promotion.eventId,
      promotion.version,
      promotion.previousVersion,
      promotion.runId,
      promotedAt,
      drift?.event_id ?? null,
      drift?.kind ?? null,
      drift ? (promotedAt.getTime() - drift.checked_at.getTime()) / 1000 : null,
      promotion.trigger?.reason ?? null,
      JSON.stringify(triggerIds),
      triggeredByDrift,
    ],
  );
  return { inserted: (inserted.rowCount ?? 0) > 0, afterDriftEventId: drift?.event_id ?? null, triggeredByDrift };
}

/**
 * model.promoted: the registry's current champion is loaded and recorded (every replica then serves it), and the
 * change is recorded with the drift it followed, so ListRetrains can show the loop closing.
 */
export function promotionHandler(deps: {
  pool: pg.Pool;
  log: Logger;
  champions: Champions;
  registry: RegistryClient;
}): EventHandler {
  return async (event) => {
    const promoted = event.data as ModelPromoted;
    const champion = await deps.champions.refresh(promoted.dataset);
    // The registry publishes model.promoted after its commit, so it knows every champion an event can name.
    if (champion === null) {
      throw new PermanentError(
        `model.promoted names version ${promoted.version} of dataset "${promoted.dataset}", but the registry has no champion for that dataset`,
      );
    }
    const trigger = await deps.registry.runTrigger(promoted.runId);
    const recorded = await recordPromotion(deps.pool, {
      dataset: promoted.dataset,
      eventId: event.id,
      version: promoted.version,
      previousVersion: promoted.previousVersion,
      runId: promoted.runId,
      promotedAt: new Date(event.time),
      trigger,
    });
    deps.log.info(
      {
        event: "promotion.observed",
        dataset: promoted.dataset,
        version: promoted.version,
        championVersion: champion?.version ?? null,
        runId: promoted.runId,
        triggerReason: trigger?.reason ?? null,
        afterDriftEventId: recorded.afterDriftEventId,
        triggeredByDrift: recorded.triggeredByDrift,
        duplicate: !recorded.inserted,
      },
      "promotion observed",
    );
  };
}
