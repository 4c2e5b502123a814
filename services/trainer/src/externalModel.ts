import type { ArtifactStore } from "@gyre/artifacts";
import type { EvaluateExternalModelResponse, FeatureStoreClient, ModelRegistryClient } from "@gyre/grpc";
import type { Logger } from "@gyre/log";
import {
  ArtifactCorruptError,
  ArtifactMissingError,
  completeExternalBundle,
  disposeAnyBundle,
  evaluateAny,
  loadOnnxBundle,
  readExternalModel,
} from "@gyre/model";
import type { SpecStore } from "@gyre/spec";
import { championOf, evaluateChampion, finiteMetrics } from "./champion.ts";
import { exportRequest, exportTrainingSet } from "./trainingSet.ts";

export interface ExternalEvaluationDeps {
  specs: SpecStore;
  store: ArtifactStore;
  featureStore: FeatureStoreClient;
  registry: ModelRegistryClient;
  log: Logger;
  exportDeadlineMs: number;
  codeVersion: string;
}

/** The artifact is not an external model the registry stored (missing, corrupt, or for another dataset). */
export class ExternalArtifactError extends Error {
  override name = "ExternalArtifactError";
}

/**
 * Scores an external model as a run scores its candidate: a new snapshot with the spec's window and holdout share,
 * the model and the champion on the same holdout rows. Writes the rest of the model's bundle (identity
 * preprocessing, signature, reference statistics of the snapshot's training rows, metadata last), so that
 * serving loads it and monitoring watches it like any champion.
 */
export async function evaluateExternalModel(
  deps: ExternalEvaluationDeps,
  dataset: string,
  artifactKey: string,
): Promise<EvaluateExternalModelResponse> {
  let external: Awaited<ReturnType<typeof readExternalModel>>["external"];
  try {
    ({ external } = await readExternalModel(deps.store, artifactKey));
  } catch (error) {
    if (error instanceof ArtifactMissingError || error instanceof ArtifactCorruptError) {
      throw new ExternalArtifactError(`no external model at "${artifactKey}": ${error.message}`, { cause: error });
    }
    throw error;
  }
  if (external.dataset !== dataset) {
    throw new ExternalArtifactError(
      `the external model at "${artifactKey}" is of dataset "${external.dataset}", not "${dataset}"`,
    );
  }
  const spec = await deps.specs.get(dataset, external.specRevision);
  const set = await exportTrainingSet(deps.featureStore, exportRequest(spec.spec, null), deps.exportDeadlineMs);
  // metadata.json (written last) is what makes the bundle loadable: first without metrics, to score it through the
  // same loading path serving uses, then with them
  const info = {
    trainRows: set.trainRows,
    holdoutRows: set.holdoutRows.length,
    snapshotId: set.snapshot.id,
    codeVersion: deps.codeVersion,
  };
  await completeExternalBundle(deps.store, artifactKey, spec.spec, external, { ...info, metrics: {} });
  const bundle = await loadOnnxBundle(deps.store, artifactKey);
  let metrics: Record<string, number>;
  try {
    metrics = finiteMetrics((await evaluateAny(bundle, set.holdoutRows)).metrics);
  } finally {
    disposeAnyBundle(bundle);
  }
  await completeExternalBundle(deps.store, artifactKey, spec.spec, external, { ...info, metrics });
  const champion = await championOf(deps.registry, dataset);
  const championMetrics =
    champion === null ? {} : await evaluateChampion(deps.store, dataset, champion, set.holdoutRows);
  deps.log.info(
    {
      event: "external.evaluated",
      dataset,
      artifactKey,
      sha256: external.sha256,
      snapshotId: set.snapshot.id,
      metrics,
      championVersion: champion?.version ?? null,
      championMetrics,
    },
    "external model scored",
  );
  return {
    metrics,
    champion_version: champion?.version ?? 0,
    champion_metrics: championMetrics,
    snapshot_id: set.snapshot.id,
    batches: set.snapshot.batches.map((batch) => ({ batch_id: batch.batchId, sha256: batch.sha256 })),
    spec_revision: spec.revision,
    holdout_rows: set.holdoutRows.length,
    train_rows: set.trainRows.length,
    code_version: deps.codeVersion,
  };
}
