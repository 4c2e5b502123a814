-- Up Migration
-- One row per dataset with a model; registrations and alias moves lock it (FOR UPDATE), so version numbers and
-- champion changes are serialized per dataset across replicas.
CREATE TABLE IF NOT EXISTS models (
  dataset text PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per registered model version; everything model.trained carried about its run.
CREATE TABLE IF NOT EXISTS versions (
  dataset text NOT NULL REFERENCES models (dataset),
  version integer NOT NULL CHECK (version > 0),
  run_id text NOT NULL UNIQUE,
  artifact_key text NOT NULL,
  metrics jsonb NOT NULL,
  -- The champion the trainer evaluated on the same holdout, and its metrics; null without one.
  champion_version integer,
  champion_metrics jsonb,
  spec_revision integer NOT NULL,
  backend text NOT NULL,
  code_version text,
  trigger jsonb NOT NULL,
  -- { id, batches: [{ batchId, sha256 }] }
  snapshot jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('registered', 'champion', 'challenger', 'rejected', 'archived')),
  decision_reason text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (dataset, version)
);

-- MLflow-style aliases: at most one version per (dataset, alias).
CREATE TABLE IF NOT EXISTS aliases (
  dataset text NOT NULL,
  alias text NOT NULL CHECK (alias IN ('champion', 'challenger')),
  version integer NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (dataset, alias),
  FOREIGN KEY (dataset, version) REFERENCES versions (dataset, version)
);

-- Every decision and alias move: who, when, why. Rollback follows the promote rows (from_version is the champion
-- a promotion replaced). request_id makes a retried Promote/Rollback answer what the first call did.
CREATE TABLE IF NOT EXISTS audit (
  id bigserial PRIMARY KEY,
  dataset text NOT NULL REFERENCES models (dataset),
  action text NOT NULL CHECK (action IN ('promote', 'reject', 'manual-promote', 'rollback')),
  from_version integer,
  to_version integer NOT NULL,
  actor text NOT NULL,
  reason text NOT NULL,
  request_id text,
  at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS audit_dataset_to_version ON audit (dataset, to_version, id);
CREATE UNIQUE INDEX IF NOT EXISTS audit_request_id ON audit (dataset, action, request_id) WHERE request_id IS NOT NULL;

-- The model.promoted / model.rejected event of each decision, written in the decision's transaction and published
-- after commit (an outbox): a retry or a restart publishes the stored event again, same id, same body.
CREATE TABLE IF NOT EXISTS decisions (
  event_id text PRIMARY KEY,
  audit_id bigint NOT NULL UNIQUE REFERENCES audit (id),
  dataset text NOT NULL,
  version integer NOT NULL,
  event jsonb NOT NULL,
  published_at timestamptz
);

CREATE INDEX IF NOT EXISTS decisions_dataset_audit ON decisions (dataset, audit_id DESC);

-- Runs the registry would not register (artifact missing or corrupt, spec revision unknown), with the reason.
CREATE TABLE IF NOT EXISTS refused_runs (
  run_id text PRIMARY KEY,
  dataset text NOT NULL,
  artifact_key text NOT NULL,
  reason text NOT NULL,
  -- The model.trained data as received.
  trained jsonb NOT NULL,
  refused_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE IF EXISTS refused_runs;
DROP TABLE IF EXISTS decisions;
DROP TABLE IF EXISTS audit;
DROP TABLE IF EXISTS aliases;
DROP TABLE IF EXISTS versions;
DROP TABLE IF EXISTS models;
