-- Up Migration
-- Validated rows (the tested columns) by calendar month of their event time, for datasets whose spec asks for a
-- same-season drift reference: a window is compared with the same months of earlier years.
CREATE TABLE IF NOT EXISTS season_rows (
  dataset text NOT NULL,
  batch_id text NOT NULL,
  year integer NOT NULL,
  month integer NOT NULL CHECK (month BETWEEN 1 AND 12),
  rows jsonb NOT NULL,
  PRIMARY KEY (dataset, batch_id, year, month)
);

CREATE INDEX IF NOT EXISTS season_rows_month ON season_rows (dataset, month, year);

-- Down Migration
DROP TABLE IF EXISTS season_rows;
