import { DatasetLock } from "./datasetLock.ts";
import { startReproduction } from "./runClaims.ts";
import type { TrainingRunner } from "./runner.ts";
import { getRun, type RunRecord } from "./runRecords.ts";
import { executeRun } from "./trainingRun.ts";

export class NotReproducibleError extends Error {
  override name = "NotReproducibleError";
  constructor(
    readonly runId: string,
    reason: string,
  ) {
    super(`run "${runId}" cannot be reproduced: ${reason}`);
  }
}

export interface MetricDifference {
  name: string;
  original: number;
  reproduced: number;
  /** reproduced − original. */
  difference: number;
}

export interface Reproduction {
  original: RunRecord;
  reproduction: RunRecord;
  metrics: MetricDifference[];
  sameBackend: boolean;
  weightsIdentical: boolean;
}

/**
 * Trains a succeeded run again from what it recorded: the same snapshot (the feature store replays the same rows in
 * the same order), the same spec (revision and content), the same seed. Holds the dataset lock like any run (waiting
 * up to `lockTimeoutMs` for a run in progress), records the reproduction as a run of its own with trigger
 * "reproduce", publishes nothing, and compares metrics and the sha256 of the weights. On the same backend the
 * weights are byte-identical.
 */
export async function reproduceRun(
  runner: TrainingRunner,
  runId: string,
  lockTimeoutMs: number,
): Promise<Reproduction> {
  const { deps } = runner;
  const original = await getRun(deps.pool, runId);
  if (original.status !== "succeeded" || original.snapshot === null || original.metrics === null) {
    throw new NotReproducibleError(runId, `it is ${original.status}; only succeeded runs have a model to compare with`);
  }
  const lock = await DatasetLock.acquire(deps.databaseUrl, deps.namespace, original.dataset, deps.log, lockTimeoutMs);
  let reproductionId: string;
  try {
    const { run } = await startReproduction(deps.pool, original, deps.environment);
    reproductionId = run.runId;
    await executeRun(deps, run, lock, { snapshotId: original.snapshot.id });
  } finally {
    await lock.release();
    // Triggers that arrived while the lock was held here wait for a run: start it.
    void runner.kick(original.dataset);
  }
  const reproduction = await getRun(deps.pool, reproductionId);
  const result: Reproduction = {
    original,
    reproduction,
    metrics: metricDifferences(original.metrics, reproduction.metrics ?? {}),
    sameBackend: original.backend === reproduction.backend,
    weightsIdentical: original.weightsSha256 !== null && original.weightsSha256 === reproduction.weightsSha256,
  };
  deps.log.info(
    {
      event: "run.reproduced",
      dataset: original.dataset,
      runId,
      reproductionId,
      status: reproduction.status,
      sameBackend: result.sameBackend,
      weightsIdentical: result.weightsIdentical,
      metrics: result.metrics,
    },
    "run reproduced",
  );
  return result;
}

export function metricDifferences(
  original: Readonly<Record<string, number>>,
  reproduced: Readonly<Record<string, number>>,
): MetricDifference[] {
  return Object.keys(original)
    .sort()
    .flatMap((name) => {
      const [a, b] = [original[name], reproduced[name]];
      if (a === undefined || b === undefined) return [];
      return [{ name, original: a, reproduced: b, difference: b - a }];
    });
}
