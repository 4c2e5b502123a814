import { type DatasetSpec, datasetSpecSchema } from "@gyre/spec";
import type pg from "pg";
import { NotFoundError } from "./requestErrors.ts";

/** What the store holds of a dataset right now: its last batch and the newest spec revision it wrote with. */
export interface DatasetState {
  dataset: string;
  maxBatchSeq: number;
  specRevision: number;
}

/** One statement, so the last batch and the spec revision belong together. NOT_FOUND before the first batch. */
export async function datasetState(db: pg.Pool | pg.ClientBase, dataset: string): Promise<DatasetState> {
  const { rows } = await db.query<{ max_seq: string | null; revision: number | null }>(
    "SELECT max(batch_seq) AS max_seq, max(spec_revision) AS revision FROM batches WHERE dataset = $1",
    [dataset],
  );
  const row = rows[0];
  if (!row || row.max_seq === null || row.revision === null) {
    throw new NotFoundError(
      `dataset "${dataset}": the feature store has no batch of it (unknown dataset, or none written yet)`,
    );
  }
  return { dataset, maxBatchSeq: Number(row.max_seq), specRevision: row.revision };
}

/** The spec a batch was written with, as recorded then (independent of the spec store's kept history). */
export async function writtenSpec(
  db: pg.Pool | pg.ClientBase,
  dataset: string,
  revision: number,
): Promise<DatasetSpec> {
  const { rows } = await db.query<{ spec: unknown }>(
    "SELECT spec FROM dataset_specs WHERE dataset = $1 AND spec_revision = $2",
    [dataset, revision],
  );
  const row = rows[0];
  if (!row) throw new NotFoundError(`dataset "${dataset}" spec revision ${revision}: no batch was written with it`);
  return datasetSpecSchema.parse(row.spec);
}

/** Snapshot batches: every batch of the dataset up to `maxBatchSeq`, in the order they were written. */
export async function batchesUpTo(
  db: pg.Pool | pg.ClientBase,
  dataset: string,
  maxBatchSeq: number,
): Promise<{ batch_id: string; sha256: string }[]> {
  const { rows } = await db.query<{ batch_id: string; sha256: string }>(
    "SELECT batch_id, sha256 FROM batches WHERE dataset = $1 AND batch_seq <= $2 ORDER BY batch_seq",
    [dataset, maxBatchSeq],
  );
  return rows;
}
