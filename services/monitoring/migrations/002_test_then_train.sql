-- Up Migration
-- The batch ids of the champion's training snapshot (from the registry's lineage): a batch in it is not scored by
-- that champion (test, then train). Null until known.
ALTER TABLE champions ADD COLUMN IF NOT EXISTS trained_batch_ids jsonb;

-- Labelled batches that were not scored, once each, with the champion held and why (its snapshot held the batch).
CREATE TABLE IF NOT EXISTS unscored_batches (
  dataset text NOT NULL,
  batch_id text NOT NULL,
  model_version integer NOT NULL,
  run_id text NOT NULL,
  reason text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (dataset, batch_id)
);

-- Down Migration
DROP TABLE IF EXISTS unscored_batches;
ALTER TABLE champions DROP COLUMN IF EXISTS trained_batch_ids;
