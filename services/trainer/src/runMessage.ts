import type { ReproduceRunResponse, TrainerRun } from "@gyre/grpc";
import type { Reproduction } from "./reproduce.ts";
import type { RunRecord } from "./runRecords.ts";

/** A run record as the gyre.trainer.v1.Run message. */
export function runMessage(run: RunRecord): TrainerRun {
  return {
    run_id: run.runId,
    dataset: run.dataset,
    status: run.status,
    trigger: { reason: run.trigger.reason, event_ids: run.trigger.eventIds },
    params_json: JSON.stringify(run.params),
    epochs: run.epochs.map((epoch) => ({
      epoch: epoch.epoch,
      metrics: Object.fromEntries(
        [
          ["loss", epoch.loss],
          ["val_loss", epoch.valLoss],
          [epoch.metric, epoch.value],
          [`val_${epoch.metric}`, epoch.valValue],
        ].filter((entry): entry is [string, number] => typeof entry[1] === "number" && Number.isFinite(entry[1])),
      ),
    })),
    metrics: run.metrics ?? {},
    champion_metrics: run.championMetrics ?? {},
    champion_version: run.championVersion ?? 0,
    snapshot_id: run.snapshot?.id ?? "",
    batches: (run.snapshot?.batches ?? []).map((batch) => ({ batch_id: batch.batchId, sha256: batch.sha256 })),
    train_rows: run.trainRows ?? 0,
    holdout_rows: run.holdoutRows ?? 0,
    spec_revision: run.specRevision,
    code_version: run.codeVersion,
    backend: run.backend,
    duration_ms: run.durationMs ?? 0,
    artifact_key: run.artifactKey ?? "",
    error: run.error ?? "",
    error_kind: run.errorKind ?? "",
    started_at: run.startedAt.toISOString(),
    finished_at: run.finishedAt?.toISOString() ?? "",
    reproduces: run.reproduces ?? "",
    published: run.publishedAt !== null,
  };
}

export function reproductionMessage(result: Reproduction): ReproduceRunResponse {
  return {
    original: runMessage(result.original),
    reproduction: runMessage(result.reproduction),
    metrics: result.metrics,
    same_backend: result.sameBackend,
    original_weights_sha256: result.original.weightsSha256 ?? "",
    reproduced_weights_sha256: result.reproduction.weightsSha256 ?? "",
    weights_identical: result.weightsIdentical,
  };
}
