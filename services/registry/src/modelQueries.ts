import type { TrainingSnapshot, TrainingTrigger } from "@gyre/contracts";
import type pg from "pg";
import { ChampionNotFoundError, ModelNotFoundError, VersionNotFoundError } from "./errors.ts";
import type { Metrics } from "./promotion.ts";
import type { ExternalOrigin } from "./registration.ts";

export interface ModelSummaryRecord {
  dataset: string;
  createdAt: Date;
  versionCount: number;
  latestVersion: number | null;
  championVersion: number | null;
  challengerVersion: number | null;
}

export interface VersionRecord {
  dataset: string;
  version: number;
  runId: string;
  status: string;
  aliases: string[];
  metrics: Metrics;
  championMetrics: Metrics | null;
  championVersion: number | null;
  artifactKey: string;
  specRevision: number;
  backend: string;
  codeVersion: string | null;
  snapshotId: string;
  decisionReason: string;
  createdAt: Date;
  /** Set for a model trained outside Gyre. */
  external: ExternalOrigin | null;
}

export interface AuditEntryRecord {
  id: number;
  action: string;
  fromVersion: number | null;
  toVersion: number;
  actor: string;
  reason: string;
  at: Date;
}

export interface ModelRecord {
  dataset: string;
  createdAt: Date;
  versions: VersionRecord[];
  aliases: Record<string, number>;
  audit: AuditEntryRecord[];
}

export interface LineageRecord extends VersionRecord {
  snapshot: TrainingSnapshot;
  trigger: { reason: TrainingTrigger; eventIds: string[] };
}

const AUDIT_LIMIT = 1000;

export async function listModels(pool: pg.Pool): Promise<ModelSummaryRecord[]> {
  const { rows } = await pool.query(
    `SELECT m.dataset, m.created_at, count(v.version)::int AS version_count, max(v.version) AS latest_version,
            (SELECT version FROM aliases a WHERE a.dataset = m.dataset AND a.alias = 'champion') AS champion_version,
            (SELECT version FROM aliases a WHERE a.dataset = m.dataset AND a.alias = 'challenger') AS challenger_version
     FROM models m LEFT JOIN versions v ON v.dataset = m.dataset
     GROUP BY m.dataset, m.created_at ORDER BY m.dataset`,
  );
  return rows.map((row) => ({
    dataset: row.dataset,
    createdAt: row.created_at,
    versionCount: row.version_count,
    latestVersion: row.latest_version,
    championVersion: row.champion_version,
    challengerVersion: row.challenger_version,
  }));
}

const VERSION_COLUMNS = `
  v.dataset, v.version, v.run_id, v.status, v.metrics, v.champion_metrics, v.champion_version, v.artifact_key,
  v.spec_revision, v.backend, v.code_version, v.snapshot->>'id' AS snapshot_id, v.decision_reason, v.created_at,
  v.external,
  coalesce((SELECT array_agg(a.alias ORDER BY a.alias) FROM aliases a
            WHERE a.dataset = v.dataset AND a.version = v.version), '{}') AS aliases`;

type VersionRow = {
  dataset: string;
  version: number;
  run_id: string;
  status: string;
  metrics: Metrics;
  champion_metrics: Metrics | null;
  champion_version: number | null;
  artifact_key: string;
  spec_revision: number;
  backend: string;
  code_version: string | null;
  snapshot_id: string;
  decision_reason: string;
  created_at: Date;
  aliases: string[];
  external: ExternalOrigin | null;
};

function versionRecord(row: VersionRow): VersionRecord {
  return {
    dataset: row.dataset,
    version: row.version,
    runId: row.run_id,
    status: row.status,
    aliases: row.aliases,
    metrics: row.metrics,
    championMetrics: row.champion_metrics,
    championVersion: row.champion_version,
    artifactKey: row.artifact_key,
    specRevision: row.spec_revision,
    backend: row.backend,
    codeVersion: row.code_version,
    snapshotId: row.snapshot_id,
    decisionReason: row.decision_reason,
    createdAt: row.created_at,
    external: row.external,
  };
}

async function modelCreatedAt(pool: pg.Pool, dataset: string): Promise<Date> {
  const { rows } = await pool.query<{ created_at: Date }>("SELECT created_at FROM models WHERE dataset = $1", [
    dataset,
  ]);
  if (rows[0] === undefined) throw new ModelNotFoundError(dataset);
  return rows[0].created_at;
}

export async function getModel(pool: pg.Pool, dataset: string): Promise<ModelRecord> {
  const createdAt = await modelCreatedAt(pool, dataset);
  const versions = await pool.query<VersionRow>(
    `SELECT ${VERSION_COLUMNS} FROM versions v WHERE v.dataset = $1 ORDER BY v.version`,
    [dataset],
  );
  const aliases = await pool.query<{ alias: string; version: number }>(
    "SELECT alias, version FROM aliases WHERE dataset = $1 ORDER BY alias",
    [dataset],
  );
  const audit = await pool.query(
    `SELECT * FROM (
       SELECT id, action, from_version, to_version, actor, reason, at FROM audit
       WHERE dataset = $1 ORDER BY id DESC LIMIT ${AUDIT_LIMIT}
     ) recent ORDER BY id`,
    [dataset],
  );
  return {
    dataset,
    createdAt,
    versions: versions.rows.map(versionRecord),
    aliases: Object.fromEntries(aliases.rows.map((row) => [row.alias, row.version])),
    audit: audit.rows.map((row) => ({
      id: Number(row.id),
      action: row.action,
      fromVersion: row.from_version,
      toVersion: row.to_version,
      actor: row.actor,
      reason: row.reason,
      at: row.at,
    })),
  };
}

export async function getChampion(pool: pg.Pool, dataset: string): Promise<VersionRecord & { since: Date }> {
  const { rows } = await pool.query<VersionRow & { since: Date }>(
    `SELECT ${VERSION_COLUMNS}, c.updated_at AS since
     FROM aliases c JOIN versions v ON v.dataset = c.dataset AND v.version = c.version
     WHERE c.dataset = $1 AND c.alias = 'champion'`,
    [dataset],
  );
  const row = rows[0];
  if (row === undefined) {
    await modelCreatedAt(pool, dataset);
    throw new ChampionNotFoundError(dataset);
  }
  return { ...versionRecord(row), since: row.since };
}

export async function getLineage(pool: pg.Pool, dataset: string, version: number): Promise<LineageRecord> {
  const { rows } = await pool.query<VersionRow & Pick<LineageRecord, "snapshot" | "trigger">>(
    `SELECT ${VERSION_COLUMNS}, v.snapshot, v.trigger FROM versions v WHERE v.dataset = $1 AND v.version = $2`,
    [dataset, version],
  );
  const row = rows[0];
  if (row === undefined) {
    await modelCreatedAt(pool, dataset);
    const latest = await pool.query<{ latest: number | null }>(
      "SELECT max(version) AS latest FROM versions WHERE dataset = $1",
      [dataset],
    );
    throw new VersionNotFoundError(dataset, version, latest.rows[0]?.latest ?? null);
  }
  return { ...versionRecord(row), snapshot: row.snapshot, trigger: row.trigger };
}

/** Champion version per dataset, for the gauge after a restart. */
export async function championVersions(pool: pg.Pool): Promise<{ dataset: string; version: number }[]> {
  const { rows } = await pool.query<{ dataset: string; version: number }>(
    "SELECT dataset, version FROM aliases WHERE alias = 'champion'",
  );
  return rows;
}
