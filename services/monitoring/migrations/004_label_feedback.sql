-- Up Migration
-- Label feedback. Every logged prediction (serving's sample), once per role and request id, with what it answered.
CREATE TABLE IF NOT EXISTS served_predictions (
  dataset text NOT NULL,
  request_id text NOT NULL,
  role text NOT NULL,
  model_version integer NOT NULL,
  -- The class answered (classifiers) or the value (regressors).
  predicted text,
  predicted_value double precision,
  served_at timestamptz NOT NULL,
  PRIMARY KEY (dataset, role, request_id)
);

CREATE INDEX IF NOT EXISTS served_predictions_request ON served_predictions (dataset, request_id);

-- The first label received for each request id; later ones are counted (duplicate, conflicting), not kept.
CREATE TABLE IF NOT EXISTS served_labels (
  dataset text NOT NULL,
  request_id text NOT NULL,
  label text NOT NULL,
  label_value double precision,
  event_id text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (dataset, request_id)
);

-- labels.arrived events handled, once each (a redelivery counts nothing twice).
CREATE TABLE IF NOT EXISTS label_events (
  event_id text PRIMARY KEY,
  dataset text NOT NULL,
  labels integer NOT NULL,
  handled_at timestamptz NOT NULL DEFAULT now()
);

-- Per dataset: labels received, repeated for a request id already labelled (same or another value), and late.
CREATE TABLE IF NOT EXISTS label_counts (
  dataset text PRIMARY KEY,
  received bigint NOT NULL DEFAULT 0,
  duplicates bigint NOT NULL DEFAULT 0,
  conflicting bigint NOT NULL DEFAULT 0,
  late bigint NOT NULL DEFAULT 0
);

-- Down Migration
DROP TABLE IF EXISTS label_counts;
DROP TABLE IF EXISTS label_events;
DROP TABLE IF EXISTS served_labels;
DROP TABLE IF EXISTS served_predictions;
