import type { LabelCounts, ServedAccuracy } from "@gyre/grpc";
import type pg from "pg";

export type AccuracyPeriod = "hour" | "day";

interface AccuracyRow {
  model_version: number;
  role: string;
  logged: number;
  labelled: number;
  correct: number;
  mae: number | null;
  period_start?: Date;
}

/**
 * Served accuracy: logged predictions joined with the first label of their request id, per model version and role,
 * and per period of serving. Serving logs a uniform random sample of requests, so the labelled share of the sample
 * estimates the accuracy of every answer; `logged` says how large the sample is.
 */
export async function servedAccuracy(
  pool: pg.Pool,
  dataset: string,
  period: AccuracyPeriod,
): Promise<{ versions: ServedAccuracy[]; overTime: ServedAccuracy[]; labels: LabelCounts }> {
  const select = (extra: string) =>
    `SELECT p.model_version, p.role, ${extra} count(*)::int AS logged, count(l.request_id)::int AS labelled,
       count(*) FILTER (WHERE l.label = p.predicted)::int AS correct,
       avg(abs(p.predicted_value - l.label_value)) AS mae
     FROM served_predictions p LEFT JOIN served_labels l ON l.dataset = p.dataset AND l.request_id = p.request_id
     WHERE p.dataset = $1`;
  const versions = await pool.query<AccuracyRow>(
    `${select("")} GROUP BY p.model_version, p.role ORDER BY p.model_version, p.role`,
    [dataset],
  );
  const overTime = await pool.query<AccuracyRow>(
    `${select("date_trunc($2, p.served_at) AS period_start,")}
     GROUP BY period_start, p.model_version, p.role ORDER BY period_start, p.model_version, p.role`,
    [dataset, period],
  );
  const counts = await pool.query<{
    received: string | null;
    duplicates: string | null;
    conflicting: string | null;
    late: string | null;
    unmatched: number;
    unlabelled: number;
  }>(
    `SELECT c.received, c.duplicates, c.conflicting, c.late,
       (SELECT count(*)::int FROM served_labels l WHERE l.dataset = $1 AND NOT EXISTS
         (SELECT 1 FROM served_predictions p WHERE p.dataset = l.dataset AND p.request_id = l.request_id)) AS unmatched,
       (SELECT count(*)::int FROM served_predictions p WHERE p.dataset = $1 AND NOT EXISTS
         (SELECT 1 FROM served_labels l WHERE l.dataset = p.dataset AND l.request_id = p.request_id)) AS unlabelled
     FROM (SELECT $1::text AS dataset) d LEFT JOIN label_counts c ON c.dataset = d.dataset`,
    [dataset],
  );
  const row = counts.rows[0];
  return {
    versions: versions.rows.map(accuracyOf),
    overTime: overTime.rows.map(accuracyOf),
    labels: {
      received: Number(row?.received ?? 0),
      duplicates: Number(row?.duplicates ?? 0),
      conflicting: Number(row?.conflicting ?? 0),
      late: Number(row?.late ?? 0),
      unmatched: row?.unmatched ?? 0,
      unlabelled: row?.unlabelled ?? 0,
    },
  };
}

function accuracyOf(row: AccuracyRow): ServedAccuracy {
  return {
    model_version: row.model_version,
    role: row.role,
    logged: row.logged,
    labelled: row.labelled,
    correct: row.correct,
    accuracy: row.labelled === 0 ? -1 : row.correct / row.labelled,
    mae: row.mae === null ? -1 : row.mae,
    period_start: row.period_start?.toISOString() ?? "",
  };
}
