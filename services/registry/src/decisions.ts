import type { Bus, PublishResult } from "@gyre/bus";
import { type GyreEvent, type ModelPromoted, type ModelRejected, newEvent } from "@gyre/contracts";
import type { Logger } from "@gyre/log";
import type pg from "pg";

export const EVENT_SOURCE = "gyre/registry";

export type DecisionEvent = GyreEvent<"model.promoted" | "model.rejected">;
export type AuditAction = "promote" | "reject" | "manual-promote" | "rollback";

export interface AuditRecord {
  dataset: string;
  action: AuditAction;
  fromVersion: number | null;
  toVersion: number;
  actor: string;
  reason: string;
  requestId?: string | undefined;
}

/**
 * Event id of the policy's decision on a newly registered version: `promoted-<dataset>-<version>` or
 * `rejected-<dataset>-<version>`. A redelivered model.trained republishes it and JetStream drops the repeat.
 */
export function policyEventId(outcome: "promoted" | "rejected", dataset: string, version: number): string {
  return `${outcome}-${dataset}-${version}`;
}

/** Manual promotions and rollbacks can point `champion` at the same version many times; the audit id tells them apart. */
export function championChangeEventId(dataset: string, version: number, auditId: number): string {
  return `promoted-${dataset}-${version}-a${auditId}`;
}

export async function insertAudit(client: pg.PoolClient, record: AuditRecord): Promise<number> {
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO audit (dataset, action, from_version, to_version, actor, reason, request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [
      record.dataset,
      record.action,
      record.fromVersion,
      record.toVersion,
      record.actor,
      record.reason,
      record.requestId ?? null,
    ],
  );
  return Number(rows[0]?.id);
}

/** Stores the decision's event in the transaction that made the decision; it is published after the commit. */
export async function insertDecision(client: pg.PoolClient, auditId: number, event: DecisionEvent): Promise<void> {
  await client.query(
    "INSERT INTO decisions (event_id, audit_id, dataset, version, event) VALUES ($1, $2, $3, $4, $5)",
    [event.id, auditId, event.data.dataset, event.data.version, JSON.stringify(event)],
  );
}

export function promotedEvent(id: string, data: ModelPromoted): DecisionEvent {
  return newEvent("model.promoted", EVENT_SOURCE, data, { id });
}

export function rejectedEvent(id: string, data: ModelRejected): DecisionEvent {
  return newEvent("model.rejected", EVENT_SOURCE, data, { id });
}

export interface StoredDecision {
  event: DecisionEvent;
  auditId: number;
  published: boolean;
  /**
   * No later decision replaced what this one told consumers: for model.promoted, no later model.promoted of the
   * dataset; for model.rejected, no later decision at all (each one moves the challenger or the champion). Only a
   * current decision may be published again: an old model.promoted arriving late would point serving at a
   * champion that is no longer current.
   */
  current: boolean;
}

const STORED_DECISION = `
  SELECT d.event, d.audit_id, d.published_at IS NOT NULL AS published,
         NOT EXISTS (
           SELECT 1 FROM decisions later
           WHERE later.dataset = d.dataset AND later.audit_id > d.audit_id
             AND (later.event->>'type' = 'model.promoted' OR d.event->>'type' = 'model.rejected')
         ) AS current
  FROM decisions d`;

type DecisionRow = { event: DecisionEvent; audit_id: string; published: boolean; current: boolean };

function storedDecision(row: DecisionRow | undefined): StoredDecision | null {
  if (row === undefined) return null;
  return { event: row.event, auditId: Number(row.audit_id), published: row.published, current: row.current };
}

export async function decisionById(db: pg.Pool | pg.PoolClient, eventId: string): Promise<StoredDecision | null> {
  const { rows } = await db.query<DecisionRow>(`${STORED_DECISION} WHERE d.event_id = $1`, [eventId]);
  return storedDecision(rows[0]);
}

export async function decisionOfAudit(db: pg.Pool | pg.PoolClient, auditId: number): Promise<StoredDecision | null> {
  const { rows } = await db.query<DecisionRow>(`${STORED_DECISION} WHERE d.audit_id = $1`, [auditId]);
  return storedDecision(rows[0]);
}

/** Publishes a stored decision and notes that it went out. */
export async function publishDecision(bus: Bus, pool: pg.Pool, event: DecisionEvent): Promise<PublishResult> {
  const result = await bus.publish(event, event.data.dataset);
  await pool.query("UPDATE decisions SET published_at = now() WHERE event_id = $1 AND published_at IS NULL", [
    event.id,
  ]);
  return result;
}

/**
 * Publishes the decisions that were committed but never published (the process died, or NATS failed, in between),
 * oldest first, as long as they are still current; superseded ones are left unpublished.
 */
export async function publishPendingDecisions(bus: Bus, pool: pg.Pool, log: Logger): Promise<number> {
  const { rows } = await pool.query<DecisionRow>(
    `SELECT * FROM (${STORED_DECISION}) stored WHERE NOT published AND current ORDER BY audit_id`,
  );
  for (const row of rows) {
    const published = await publishDecision(bus, pool, row.event);
    log.info(
      {
        event: "decision.republished",
        eventId: row.event.id,
        dataset: row.event.data.dataset,
        duplicate: published.duplicate,
      },
      "unpublished decision published",
    );
  }
  return rows.length;
}
