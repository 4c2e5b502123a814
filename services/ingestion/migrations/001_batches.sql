-- Up Migration
CREATE TABLE IF NOT EXISTS batches (
  batch_id uuid PRIMARY KEY,
  dataset text NOT NULL,
  batch_key text NOT NULL,
  sha256 char(64) NOT NULL,
  object_key text NOT NULL,
  format text NOT NULL CHECK (format IN ('csv', 'ndjson', 'json')),
  size_bytes bigint NOT NULL CHECK (size_bytes > 0),
  row_count bigint NOT NULL CHECK (row_count > 0),
  event_time_min timestamptz,
  event_time_max timestamptz,
  spec_revision bigint NOT NULL,
  source_event_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- the same producer key, or the same bytes under another key, is the same batch
  CONSTRAINT batches_dataset_batch_key_key UNIQUE (dataset, batch_key),
  CONSTRAINT batches_dataset_sha256_key UNIQUE (dataset, sha256),
  CHECK ((event_time_min IS NULL) = (event_time_max IS NULL))
);

CREATE INDEX IF NOT EXISTS batches_dataset_created_at_idx ON batches (dataset, created_at);

-- Arrivals turned away as bad input (the message went to the DLQ with the same reason).
CREATE TABLE IF NOT EXISTS rejected_arrivals (
  event_id text PRIMARY KEY,
  dataset text NOT NULL,
  batch_key text NOT NULL,
  kind text NOT NULL,
  reason text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS rejected_arrivals_dataset_at_idx ON rejected_arrivals (dataset, at);

-- Down Migration
DROP TABLE IF EXISTS rejected_arrivals;
DROP TABLE IF EXISTS batches;
