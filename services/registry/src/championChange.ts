import { withTransaction } from "@gyre/db";
import type pg from "pg";
import { type Aliases, currentAliases, lockModel, pointChampion } from "./aliases.ts";
import {
  type AuditAction,
  championChangeEventId,
  type DecisionEvent,
  decisionOfAudit,
  insertAudit,
  insertDecision,
  promotedEvent,
} from "./decisions.ts";
import { ModelNotFoundError, NoPreviousChampionError, VersionNotFoundError } from "./errors.ts";

export interface ChampionChangeRequest {
  dataset: string;
  actor: string;
  reason: string;
  /** Idempotency key: a repeated request answers what the first did. */
  requestId?: string | undefined;
}

export interface ChampionChange {
  dataset: string;
  version: number;
  previousVersion: number | null;
  auditId: number;
  /** The model.promoted to publish (again, for a repeated request): same id, same body. */
  event: DecisionEvent;
  /** false when nothing moved (a repeated request, or a promote of the current champion). */
  changed: boolean;
  /** Whether `event` is still current and may be published (again); see StoredDecision. */
  current: boolean;
}

/**
 * Points `champion` at a version by hand, in one transaction with its audit row and model.promoted event.
 * Promoting the current champion changes nothing and answers with the change that made it champion.
 */
export function promoteByHand(
  pool: pg.Pool,
  request: ChampionChangeRequest & { version: number },
): Promise<ChampionChange> {
  const { dataset, version } = request;
  return withTransaction(pool, async (client) => {
    try {
      await lockModel(client, dataset);
    } catch (error) {
      if (error instanceof ModelNotFoundError) throw new VersionNotFoundError(dataset, version, null);
      throw error;
    }
    const repeated = await repeatedRequest(client, "manual-promote", request);
    if (repeated) return repeated;
    const { rows } = await client.query<{ latest: number | null; found: boolean }>(
      "SELECT max(version) AS latest, bool_or(version = $2) AS found FROM versions WHERE dataset = $1",
      [dataset, version],
    );
    if (rows[0]?.found !== true) throw new VersionNotFoundError(dataset, version, rows[0]?.latest ?? null);
    const aliases = await currentAliases(client, dataset);
    if (aliases.champion === version) {
      const made = await changeThatMadeChampion(client, dataset, version);
      if (made) return made;
    }
    const previous = aliases.champion === null ? "no champion before" : `version ${aliases.champion} was champion`;
    const eventReason = `manual promotion of version ${version} by ${request.actor} (${previous}): ${request.reason}`;
    return moveChampion(client, "manual-promote", request, version, aliases, eventReason);
  });
}

/**
 * Points `champion` back at the champion before the current one: the version the current champion's promotion
 * replaced. Rolling back again goes one further back, since a rollback is not a promotion.
 */
export function rollback(pool: pg.Pool, request: ChampionChangeRequest): Promise<ChampionChange> {
  const { dataset } = request;
  return withTransaction(pool, async (client) => {
    await lockModel(client, dataset);
    const repeated = await repeatedRequest(client, "rollback", request);
    if (repeated) return repeated;
    const aliases = await currentAliases(client, dataset);
    if (aliases.champion === null) throw new NoPreviousChampionError(dataset, null);
    const { rows } = await client.query<{ from_version: number | null }>(
      `SELECT from_version FROM audit
       WHERE dataset = $1 AND to_version = $2 AND action IN ('promote', 'manual-promote')
       ORDER BY id DESC LIMIT 1`,
      [dataset, aliases.champion],
    );
    const target = rows[0]?.from_version ?? null;
    if (target === null) throw new NoPreviousChampionError(dataset, aliases.champion);
    const eventReason = `rollback from version ${aliases.champion} to version ${target} by ${request.actor}: ${request.reason}`;
    return moveChampion(client, "rollback", request, target, aliases, eventReason);
  });
}

async function moveChampion(
  client: pg.PoolClient,
  action: AuditAction,
  request: ChampionChangeRequest,
  version: number,
  aliases: Aliases,
  eventReason: string,
): Promise<ChampionChange> {
  const { dataset } = request;
  await pointChampion(client, dataset, version, aliases);
  const auditId = await insertAudit(client, {
    dataset,
    action,
    fromVersion: aliases.champion,
    toVersion: version,
    actor: request.actor,
    reason: request.reason,
    requestId: request.requestId,
  });
  const { rows } = await client.query<{ run_id: string; metrics: Record<string, number> }>(
    "SELECT run_id, metrics FROM versions WHERE dataset = $1 AND version = $2",
    [dataset, version],
  );
  const row = rows[0];
  if (row === undefined) throw new VersionNotFoundError(dataset, version, null);
  const event = promotedEvent(championChangeEventId(dataset, version, auditId), {
    dataset,
    version,
    previousVersion: aliases.champion,
    reason: eventReason,
    runId: row.run_id,
    metrics: row.metrics,
    actor: request.actor,
  });
  await insertDecision(client, auditId, event);
  return { dataset, version, previousVersion: aliases.champion, auditId, event, changed: true, current: true };
}

async function repeatedRequest(
  client: pg.PoolClient,
  action: AuditAction,
  request: ChampionChangeRequest,
): Promise<ChampionChange | null> {
  if (request.requestId === undefined) return null;
  const { rows } = await client.query<{ id: string }>(
    "SELECT id FROM audit WHERE dataset = $1 AND action = $2 AND request_id = $3",
    [request.dataset, action, request.requestId],
  );
  return rows[0] === undefined ? null : unchanged(client, Number(rows[0].id));
}

/** The latest audited change that pointed `champion` at the version. */
async function changeThatMadeChampion(
  client: pg.PoolClient,
  dataset: string,
  version: number,
): Promise<ChampionChange | null> {
  const { rows } = await client.query<{ id: string }>(
    `SELECT id FROM audit WHERE dataset = $1 AND to_version = $2 AND action <> 'reject' ORDER BY id DESC LIMIT 1`,
    [dataset, version],
  );
  return rows[0] === undefined ? null : unchanged(client, Number(rows[0].id));
}

async function unchanged(client: pg.PoolClient, auditId: number): Promise<ChampionChange | null> {
  const decision = await decisionOfAudit(client, auditId);
  if (decision === null || decision.event.type !== "model.promoted") return null;
  const { dataset, version, previousVersion } = decision.event.data;
  return {
    dataset,
    version,
    previousVersion,
    auditId,
    event: decision.event,
    changed: false,
    current: decision.current,
  };
}
