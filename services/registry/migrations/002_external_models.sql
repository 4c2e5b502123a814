-- Up Migration
-- Models trained outside Gyre (RegisterExternalModel): { format, sha256, registeredBy, registeredAt, preprocessing };
-- null for the trainer's runs.
ALTER TABLE versions ADD COLUMN IF NOT EXISTS external jsonb;

-- Down Migration
ALTER TABLE versions DROP COLUMN IF EXISTS external;
