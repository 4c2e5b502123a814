import type { EventHandler } from "@gyre/bus";
import type { LabelsArrived, PredictionsLogged } from "@gyre/contracts";
import { withTransaction } from "@gyre/db";
import type { Logger } from "@gyre/log";
import type { SpecStore } from "@gyre/spec";
import { LABEL } from "@gyre/telemetry";
import type pg from "pg";
import type { MonitoringMetrics } from "./metrics.ts";
import { currentSpec } from "./windowSources.ts";

/** What a logged prediction answered: the class (classifiers, `outputs.label`) or the value (`outputs.value`). */
function answerOf(outputs: PredictionsLogged["records"][number]["outputs"]): {
  predicted: string | null;
  value: number | null;
} {
  const label = outputs.label;
  if (typeof label === "string") return { predicted: label, value: null };
  const value = outputs.value;
  if (typeof value === "number") return { predicted: String(value), value };
  return { predicted: null, value: null };
}

/** Keeps every logged prediction once (by role and request id), so labels arriving later can be joined with it. */
export async function recordServedPredictions(pool: pg.Pool, logged: PredictionsLogged): Promise<void> {
  const answers = logged.records.map((record) => ({ record, ...answerOf(record.outputs) }));
  await pool.query(
    `INSERT INTO served_predictions (dataset, request_id, role, model_version, predicted, predicted_value, served_at)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::float8[], $7::timestamptz[])
     ON CONFLICT DO NOTHING`,
    [
      logged.dataset,
      answers.map(({ record }) => record.requestId),
      answers.map(() => logged.role),
      answers.map(() => logged.modelVersion),
      answers.map(({ predicted }) => predicted),
      answers.map(({ value }) => value),
      answers.map(({ record }) => record.at),
    ],
  );
}

export interface LabelOutcome {
  duplicateEvent: boolean;
  received: number;
  duplicates: number;
  conflicting: number;
  late: number;
}

/**
 * Records a labels.arrived event once: the first label of each request id is kept; a repeated one is counted as a
 * duplicate (and as conflicting when its value differs). A label is late when it arrives more than `lateAfterMs`
 * after the prediction it labels was served; it still counts. A label whose prediction is not logged (yet, or ever:
 * an unknown id, or a request outside serving's sample) waits, and is reported as unmatched.
 */
export function recordLabels(
  pool: pg.Pool,
  eventId: string,
  arrived: LabelsArrived,
  lateAfterMs: number,
): Promise<LabelOutcome> {
  return withTransaction(pool, async (client) => {
    const first = await client.query(
      "INSERT INTO label_events (event_id, dataset, labels) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
      [eventId, arrived.dataset, arrived.labels.length],
    );
    if (first.rowCount === 0) return { duplicateEvent: true, received: 0, duplicates: 0, conflicting: 0, late: 0 };
    let duplicates = 0;
    let conflicting = 0;
    for (const { requestId, label } of arrived.labels) {
      const text = String(label);
      const inserted = await client.query(
        `INSERT INTO served_labels (dataset, request_id, label, label_value, event_id) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING`,
        [arrived.dataset, requestId, text, typeof label === "number" ? label : null, eventId],
      );
      if (inserted.rowCount === 1) continue;
      duplicates++;
      const kept = await client.query<{ label: string }>(
        "SELECT label FROM served_labels WHERE dataset = $1 AND request_id = $2",
        [arrived.dataset, requestId],
      );
      if (kept.rows[0]?.label !== text) conflicting++;
    }
    const { rows } = await client.query<{ late: number }>(
      `SELECT count(DISTINCT l.request_id)::int AS late FROM served_labels l
       JOIN served_predictions p ON p.dataset = l.dataset AND p.request_id = l.request_id
       WHERE l.dataset = $1 AND l.event_id = $2 AND l.received_at - p.served_at > make_interval(secs => $3 / 1000.0)`,
      [arrived.dataset, eventId, lateAfterMs],
    );
    const late = rows[0]?.late ?? 0;
    await client.query(
      `INSERT INTO label_counts (dataset, received, duplicates, conflicting, late) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (dataset) DO UPDATE SET received = label_counts.received + $2,
         duplicates = label_counts.duplicates + $3, conflicting = label_counts.conflicting + $4,
         late = label_counts.late + $5`,
      [arrived.dataset, arrived.labels.length, duplicates, conflicting, late],
    );
    return { duplicateEvent: false, received: arrived.labels.length, duplicates, conflicting, late };
  });
}

/**
 * labels.arrived: the labels are recorded and counted once per event. Labels of a dataset without a spec are
 * dead-lettered (no retry makes a spec appear); nothing else in them fails the handler.
 */
export function labelsHandler(deps: {
  pool: pg.Pool;
  specs: SpecStore;
  log: Logger;
  metrics: MonitoringMetrics;
  lateAfterMs: number;
}): EventHandler {
  return async (event) => {
    const arrived = event.data as LabelsArrived;
    await currentSpec(deps.specs, arrived.dataset);
    const outcome = await recordLabels(deps.pool, event.id, arrived, deps.lateAfterMs);
    const fields = { dataset: arrived.dataset, eventId: event.id, ...outcome };
    if (outcome.duplicateEvent) {
      deps.log.info({ event: "labels.already_recorded", ...fields }, "labels already recorded");
      return;
    }
    deps.metrics.labelsReceived.inc({ [LABEL.dataset]: arrived.dataset }, outcome.received);
    deps.log.info({ event: "labels.recorded", ...fields }, "labels recorded");
  };
}
