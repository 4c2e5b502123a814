import { PermanentError } from "@gyre/bus";
import type { Logger } from "@gyre/log";
import { type SpecRevision, type SpecStore, UnknownDatasetError, UnknownSpecRevisionError } from "@gyre/spec";

/**
 * The spec revision a batch was ingested under. When that revision is no longer kept (trimmed from the
 * history), the current one is used and the fallback logged; the report records the revision used. A dataset
 * without any spec cannot be validated at all: PermanentError, so the event goes to the DLQ with the reason.
 */
export async function specForBatch(
  specs: SpecStore,
  batch: { batchId: string; dataset: string; specRevision: number },
  log: Logger,
): Promise<SpecRevision> {
  try {
    return await specs.get(batch.dataset, batch.specRevision);
  } catch (error) {
    if (!(error instanceof UnknownSpecRevisionError)) throw error;
  }
  try {
    const current = await specs.current(batch.dataset);
    log.warn(
      {
        event: "spec.revision_missing",
        batchId: batch.batchId,
        dataset: batch.dataset,
        requestedRevision: batch.specRevision,
        usedRevision: current.revision,
      },
      "spec revision of the batch is gone; validating with the current revision",
    );
    return current;
  } catch (error) {
    if (error instanceof UnknownDatasetError) {
      throw new PermanentError(`batch "${batch.batchId}" cannot be validated: ${error.message}`, { cause: error });
    }
    throw error;
  }
}
