-- Up Migration
-- Parquet batches, and text batches sent gzip-compressed (the raw object is kept compressed, as sent).
ALTER TABLE batches DROP CONSTRAINT IF EXISTS batches_format_check;
ALTER TABLE batches ADD CONSTRAINT batches_format_check CHECK (format IN ('csv', 'ndjson', 'json', 'parquet'));
ALTER TABLE batches ADD COLUMN IF NOT EXISTS compression text CHECK (compression IN ('gzip'));

-- Down Migration
ALTER TABLE batches DROP COLUMN IF EXISTS compression;
ALTER TABLE batches DROP CONSTRAINT IF EXISTS batches_format_check;
ALTER TABLE batches ADD CONSTRAINT batches_format_check CHECK (format IN ('csv', 'ndjson', 'json'));
