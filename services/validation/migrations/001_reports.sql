-- Up Migration
-- One row per validated batch; statistics and anomalies in the shapes data.validated / data.rejected carry,
-- so a redelivered data.ingested republishes the stored outcome instead of computing a new one.
CREATE TABLE IF NOT EXISTS reports (
  batch_id text PRIMARY KEY,
  dataset text NOT NULL,
  sha256 text NOT NULL,
  spec_revision integer NOT NULL,
  decision text NOT NULL CHECK (decision IN ('accept', 'reject')),
  reason text NOT NULL,
  row_count integer NOT NULL CHECK (row_count >= 0),
  valid_rows integer NOT NULL CHECK (valid_rows >= 0),
  invalid_rows integer NOT NULL CHECK (invalid_rows >= 0),
  statistics jsonb NOT NULL,
  anomalies jsonb NOT NULL,
  notes jsonb NOT NULL,
  report_key text NOT NULL,
  rows_key text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_rows + invalid_rows = row_count)
);

CREATE INDEX IF NOT EXISTS reports_dataset_created_at ON reports (dataset, created_at DESC, batch_id);

-- Rows that failed their checks, as received, with every problem found in them.
CREATE TABLE IF NOT EXISTS quarantined_rows (
  batch_id text NOT NULL REFERENCES reports (batch_id) ON DELETE CASCADE,
  row_index integer NOT NULL CHECK (row_index >= 0),
  raw jsonb NOT NULL,
  problems jsonb NOT NULL,
  PRIMARY KEY (batch_id, row_index)
);

-- Down Migration
DROP TABLE IF EXISTS quarantined_rows;
DROP TABLE IF EXISTS reports;
