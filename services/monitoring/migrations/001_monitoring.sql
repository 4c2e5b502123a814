-- Up Migration
-- One row per monitored dataset. Every handler that changes a dataset's windows, checks or prequential scores locks
-- it (FOR UPDATE), so window numbers and the cooldown are serialized per dataset across replicas.
CREATE TABLE IF NOT EXISTS datasets (
  dataset text PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The champion of each dataset as the registry last answered GetChampion; every replica loads this version.
CREATE TABLE IF NOT EXISTS champions (
  dataset text PRIMARY KEY,
  version integer NOT NULL CHECK (version > 0),
  artifact_key text NOT NULL,
  run_id text NOT NULL,
  metrics jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The open window of each dataset and source: its number, from 1.
CREATE TABLE IF NOT EXISTS windows (
  dataset text NOT NULL,
  source text NOT NULL CHECK (source IN ('batches', 'predictions')),
  seq integer NOT NULL CHECK (seq > 0),
  PRIMARY KEY (dataset, source)
);

-- Each batch (data.validated) or predictions event, once: the window it joined and its rows (the tested columns),
-- kept until that window is checked, then set to null.
CREATE TABLE IF NOT EXISTS window_batches (
  dataset text NOT NULL,
  source text NOT NULL CHECK (source IN ('batches', 'predictions')),
  batch_id text NOT NULL,
  window_seq integer NOT NULL,
  row_count integer NOT NULL CHECK (row_count >= 0),
  rows jsonb,
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (dataset, source, batch_id)
);

CREATE INDEX IF NOT EXISTS window_batches_window ON window_batches (dataset, source, window_seq);

-- Every check: data drift of a full window, or performance drift of a labelled batch; what came of it.
CREATE TABLE IF NOT EXISTS drift_checks (
  dataset text NOT NULL,
  id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('data', 'performance')),
  source text NOT NULL CHECK (source IN ('batches', 'predictions')),
  status text NOT NULL CHECK (status IN ('published', 'suppressed', 'no-drift')),
  -- The drift.detected id (published, or the one that would have been); null without drift.
  event_id text,
  suppressed_by text,
  model_version integer NOT NULL,
  window_rows integer NOT NULL,
  share double precision NOT NULL,
  share_threshold double precision NOT NULL,
  correction text NOT NULL,
  -- [{ name, test, statistic, pValue, adjustedPValue, threshold, psi, jsd, drifted }]
  features jsonb NOT NULL,
  report_key text,
  checked_at timestamptz NOT NULL,
  PRIMARY KEY (dataset, id)
);

CREATE INDEX IF NOT EXISTS drift_checks_published ON drift_checks (dataset, checked_at DESC) WHERE status = 'published';

-- The champion's score on each labelled batch, before any training on it.
CREATE TABLE IF NOT EXISTS prequential (
  dataset text NOT NULL,
  batch_id text NOT NULL,
  model_version integer NOT NULL,
  metric text NOT NULL,
  value double precision NOT NULL,
  champion_holdout_value double precision NOT NULL,
  rows integer NOT NULL,
  performance_drift boolean NOT NULL,
  measured_at timestamptz NOT NULL,
  PRIMARY KEY (dataset, batch_id)
);

-- Each model.promoted seen, with the drift it followed and the run's trigger (from the registry).
CREATE TABLE IF NOT EXISTS promotions (
  dataset text NOT NULL,
  event_id text NOT NULL,
  version integer NOT NULL,
  previous_version integer,
  run_id text NOT NULL,
  promoted_at timestamptz NOT NULL,
  after_drift_event_id text,
  after_drift_kind text,
  seconds_after_drift double precision,
  trigger_reason text,
  trigger_event_ids jsonb NOT NULL DEFAULT '[]',
  triggered_by_drift boolean NOT NULL DEFAULT false,
  PRIMARY KEY (dataset, event_id)
);

-- Events written in the transaction that decided them and published after the commit (an outbox): a retry or a
-- restart publishes the stored event again, same id, same body.
CREATE TABLE IF NOT EXISTS outbox (
  seq bigserial PRIMARY KEY,
  event_id text NOT NULL UNIQUE,
  dataset text NOT NULL,
  event jsonb NOT NULL,
  published_at timestamptz
);

CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (seq) WHERE published_at IS NULL;

-- Down Migration
DROP TABLE IF EXISTS outbox;
DROP TABLE IF EXISTS promotions;
DROP TABLE IF EXISTS prequential;
DROP TABLE IF EXISTS drift_checks;
DROP TABLE IF EXISTS window_batches;
DROP TABLE IF EXISTS windows;
DROP TABLE IF EXISTS champions;
DROP TABLE IF EXISTS datasets;
