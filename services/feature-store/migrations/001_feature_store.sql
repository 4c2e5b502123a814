-- Up Migration
-- The per-dataset tables (offline_<dataset>, online_<dataset>) are created from the dataset spec when its
-- first batch is written (see schemaSync.ts); these are the store's own bookkeeping.

-- Every batch written, once. batch_seq orders batches per dataset (writes of one dataset are serialized).
CREATE TABLE IF NOT EXISTS batches (
  batch_id text PRIMARY KEY,
  batch_seq bigserial NOT NULL UNIQUE,
  dataset text NOT NULL,
  sha256 text NOT NULL,
  rows integer NOT NULL,
  labelled_rows integer NOT NULL,
  -- Latest event time in the dataset's store after this batch; null while the dataset has no rows.
  watermark timestamptz,
  spec_revision integer NOT NULL,
  rows_key text NOT NULL,
  written_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS batches_dataset_seq ON batches (dataset, batch_seq);

-- The spec of every revision a batch was written with: exports and online reads use these, so a snapshot
-- replays the same columns even after the spec store trimmed its history.
CREATE TABLE IF NOT EXISTS dataset_specs (
  dataset text NOT NULL,
  spec_revision integer NOT NULL,
  spec jsonb NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (dataset, spec_revision)
);

-- Training-set snapshots: what the first export saw, so a replay returns the same rows in the same order.
CREATE TABLE IF NOT EXISTS snapshots (
  snapshot_id text PRIMARY KEY,
  dataset text NOT NULL,
  spec_revision integer NOT NULL,
  -- all, lastRows or timeRange; lastRows uses window_last_rows, timeRange window_start/window_end (null: open).
  window_kind text NOT NULL,
  window_last_rows bigint,
  window_start timestamptz,
  window_end timestamptz,
  holdout_share double precision NOT NULL,
  include_unlabelled boolean NOT NULL,
  max_batch_seq bigint NOT NULL,
  -- [{"batch_id": ..., "sha256": ...}] in batch_seq order.
  batches jsonb NOT NULL,
  train_rows bigint NOT NULL,
  holdout_rows bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS snapshots_dataset ON snapshots (dataset, created_at);

-- Down Migration
DROP TABLE IF EXISTS snapshots;
DROP TABLE IF EXISTS dataset_specs;
DROP TABLE IF EXISTS batches;
