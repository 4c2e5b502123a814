-- Up Migration
-- One row per training run: what triggered it, what it trained on, how, and what came out. Rows are inserted only by
-- the holder of the dataset's advisory lock, so a `running` row whose dataset lock is free belongs to a dead process.
CREATE TABLE IF NOT EXISTS runs (
  run_id text PRIMARY KEY,
  dataset text NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  -- { reason: features | drift | manual | reproduce, eventIds: [...] }
  trigger jsonb NOT NULL,
  -- The run this one reproduces; null for ordinary runs.
  reproduces text REFERENCES runs (run_id),
  spec_revision integer NOT NULL,
  -- The whole spec as trained, so a reproduction does not depend on the spec store's history.
  spec jsonb NOT NULL,
  -- { model, training, seed }: the spec's model and training sections and the seed used.
  params jsonb NOT NULL,
  code_version text NOT NULL,
  backend text NOT NULL,
  tfjs_version text NOT NULL,
  snapshot_id text,
  -- [{ batchId, sha256 }] in the snapshot's order.
  snapshot_batches jsonb,
  train_rows integer,
  holdout_rows integer,
  metrics jsonb,
  champion_version integer,
  champion_metrics jsonb,
  artifact_key text,
  weights_sha256 text,
  error text,
  error_kind text,
  duration_ms integer,
  published_at timestamptz,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);

CREATE INDEX IF NOT EXISTS runs_dataset_started ON runs (dataset, started_at DESC);
CREATE INDEX IF NOT EXISTS runs_running ON runs (dataset) WHERE status = 'running';
CREATE INDEX IF NOT EXISTS runs_unpublished ON runs (started_at)
  WHERE status = 'succeeded' AND published_at IS NULL AND reproduces IS NULL;

-- Per-epoch metrics of a run, written with the run's outcome.
CREATE TABLE IF NOT EXISTS run_epochs (
  run_id text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  epoch integer NOT NULL CHECK (epoch > 0),
  loss double precision,
  val_loss double precision,
  -- "accuracy" for classifiers, "mae" for regressors.
  metric text NOT NULL,
  value double precision,
  val_value double precision,
  PRIMARY KEY (run_id, epoch)
);

-- Every trigger received, once (by event id), with the policy's decision. A trigger decided `train` and not yet
-- attached to a run is pending; the lock holder claims all eligible pending triggers of a dataset at once.
CREATE TABLE IF NOT EXISTS triggers (
  event_id text PRIMARY KEY,
  dataset text NOT NULL,
  reason text NOT NULL CHECK (reason IN ('features', 'drift', 'manual')),
  -- The batch and its labelled rows, the drifted features, or who asked.
  detail jsonb NOT NULL DEFAULT '{}',
  decision text NOT NULL CHECK (decision IN ('train', 'skip')),
  decision_reason text NOT NULL,
  -- Not claimed before this time: the cooldown, or the backoff after a failed attempt.
  not_before timestamptz NOT NULL DEFAULT now(),
  -- Runs that claimed it (a transient failure hands it back).
  attempts integer NOT NULL DEFAULT 0,
  run_id text REFERENCES runs (run_id),
  received_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS triggers_pending ON triggers (dataset, not_before) WHERE decision = 'train' AND run_id IS NULL;
CREATE INDEX IF NOT EXISTS triggers_run ON triggers (run_id);

-- The training policy's counters, one row per dataset; trigger decisions and claims lock it (FOR UPDATE).
CREATE TABLE IF NOT EXISTS training_counters (
  dataset text PRIMARY KEY,
  -- Labelled rows announced by features.updated, all time.
  labelled_rows bigint NOT NULL DEFAULT 0,
  -- Of those, rows of batches in no run's snapshot yet: what retrainEveryRows counts.
  new_labelled_rows bigint NOT NULL DEFAULT 0,
  last_snapshot_run_id text,
  last_run_started_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Batches announced by features.updated; snapshot_run_id is the first run whose snapshot held the batch.
CREATE TABLE IF NOT EXISTS feature_batches (
  dataset text NOT NULL,
  batch_id text NOT NULL,
  labelled_rows integer NOT NULL,
  event_id text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  snapshot_run_id text,
  PRIMARY KEY (dataset, batch_id)
);

CREATE INDEX IF NOT EXISTS feature_batches_new ON feature_batches (dataset) WHERE snapshot_run_id IS NULL;

-- Down Migration
DROP TABLE IF EXISTS feature_batches;
DROP TABLE IF EXISTS training_counters;
DROP TABLE IF EXISTS triggers;
DROP TABLE IF EXISTS run_epochs;
DROP TABLE IF EXISTS runs;
