import type {
  AuditEntry,
  ChampionChange as ChampionChangeMessage,
  CompareRunsResponse,
  ExternalOrigin as ExternalOriginMessage,
  GetChampionResponse,
  GetModelResponse,
  Lineage,
  ModelSummary,
  ModelVersion,
  Run,
} from "@gyre/grpc";
import type { ChampionChange } from "./championChange.ts";
import type {
  AuditEntryRecord,
  LineageRecord,
  ModelRecord,
  ModelSummaryRecord,
  VersionRecord,
} from "./modelQueries.ts";
import type { ExternalOrigin } from "./registration.ts";
import { compareRuns, type RunRecord, runParams } from "./runs.ts";

// Registry records as gRPC messages: times as ISO 8601, a missing version as 0, missing text as "".

export function modelSummaryMessage(model: ModelSummaryRecord): ModelSummary {
  return {
    dataset: model.dataset,
    created_at: model.createdAt.toISOString(),
    version_count: model.versionCount,
    latest_version: model.latestVersion ?? 0,
    champion_version: model.championVersion ?? 0,
    challenger_version: model.challengerVersion ?? 0,
  };
}

export function versionMessage(version: VersionRecord): ModelVersion {
  return {
    dataset: version.dataset,
    version: version.version,
    run_id: version.runId,
    status: version.status,
    aliases: version.aliases,
    metrics: version.metrics,
    champion_metrics: version.championMetrics ?? {},
    compared_with_version: version.championVersion ?? 0,
    artifact_key: version.artifactKey,
    spec_revision: version.specRevision,
    backend: version.backend,
    code_version: version.codeVersion ?? "",
    snapshot_id: version.snapshotId,
    decision_reason: version.decisionReason,
    created_at: version.createdAt.toISOString(),
    ...externalField(version.external),
  };
}

/** The external origin of a version, as the messages carry it; nothing for the trainer's runs. */
function externalField(external: ExternalOrigin | null): { external?: ExternalOriginMessage } {
  if (external === null) return {};
  return {
    external: {
      format: external.format,
      sha256: external.sha256,
      registered_by: external.registeredBy,
      registered_at: external.registeredAt,
      preprocessing: external.preprocessing,
    },
  };
}

function auditMessage(entry: AuditEntryRecord): AuditEntry {
  return {
    id: entry.id,
    action: entry.action,
    from_version: entry.fromVersion ?? 0,
    to_version: entry.toVersion,
    actor: entry.actor,
    reason: entry.reason,
    at: entry.at.toISOString(),
  };
}

export function modelMessage(model: ModelRecord): GetModelResponse {
  return {
    dataset: model.dataset,
    created_at: model.createdAt.toISOString(),
    versions: model.versions.map(versionMessage),
    aliases: model.aliases,
    audit: model.audit.map(auditMessage),
  };
}

export function championMessage(champion: VersionRecord & { since: Date }): GetChampionResponse {
  return {
    dataset: champion.dataset,
    version: champion.version,
    artifact_key: champion.artifactKey,
    metrics: champion.metrics,
    run_id: champion.runId,
    spec_revision: champion.specRevision,
    backend: champion.backend,
    since: champion.since.toISOString(),
  };
}

export function championChangeMessage(change: ChampionChange): ChampionChangeMessage {
  return {
    dataset: change.dataset,
    version: change.version,
    previous_version: change.previousVersion ?? 0,
    event_id: change.event.id,
    audit_id: change.auditId,
    reason: change.event.data.reason,
  };
}

export function lineageMessage(lineage: LineageRecord): Lineage {
  return {
    dataset: lineage.dataset,
    version: lineage.version,
    run_id: lineage.runId,
    snapshot_id: lineage.snapshot.id,
    spec_revision: lineage.specRevision,
    code_version: lineage.codeVersion ?? "",
    backend: lineage.backend,
    artifact_key: lineage.artifactKey,
    trigger: { reason: lineage.trigger.reason, event_ids: lineage.trigger.eventIds },
    batches: lineage.snapshot.batches.map((batch) => ({ batch_id: batch.batchId, sha256: batch.sha256 })),
    ...externalField(lineage.external),
  };
}

export function runMessage(run: RunRecord): Run {
  return {
    run_id: run.runId,
    dataset: run.dataset,
    outcome: run.outcome,
    version: run.version ?? 0,
    refusal_reason: run.refusalReason ?? "",
    metrics: run.metrics,
    champion_metrics: run.championMetrics ?? {},
    compared_with_version: run.championVersion ?? 0,
    backend: run.backend,
    code_version: run.codeVersion ?? "",
    spec_revision: run.specRevision,
    trigger: { reason: run.trigger.reason, event_ids: run.trigger.eventIds },
    snapshot_id: run.snapshotId,
    batch_count: run.batchCount,
    artifact_key: run.artifactKey,
    recorded_at: run.recordedAt.toISOString(),
    params: runParams(run),
  };
}

export function comparisonMessage(a: RunRecord, b: RunRecord): CompareRunsResponse {
  const comparison = compareRuns(a, b);
  return {
    a: runMessage(a),
    b: runMessage(b),
    metrics: comparison.metrics.map((metric) => ({
      name: metric.name,
      in_a: metric.a !== null,
      in_b: metric.b !== null,
      a: metric.a ?? 0,
      b: metric.b ?? 0,
      difference: metric.difference ?? 0,
      better: metric.better,
    })),
    params: comparison.params.map((param) => ({
      name: param.name,
      a: param.a ?? "",
      b: param.b ?? "",
      differs: param.differs,
    })),
  };
}
