/**
 * One run per batch, with the real services: a batch that makes both features.updated (its new rows are due for
 * retraining) and drift.detected (monitoring found its window drifted) starts one training run, not two.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { DriftDetected, FeaturesUpdated } from "@gyre/contracts";
import { createPool } from "@gyre/db";
import { serviceSchema } from "@gyre/service";
import type { DatasetSpecInput } from "@gyre/spec";
import type pg from "pg";
import { seattleWeatherSpec } from "../services/trainer/test/seattle-weather.ts";
import { type CsvBatch, type Loop, monthlyBatches, startLoop } from "./harness.ts";

const DATASET = "weather-runs";

/** Seattle's months in quarters; the last one moved to a warmer, windier climate (the drift no window can miss). */
function quarters(): CsvBatch[] {
  const monthly = monthlyBatches("seattle-weather.csv").slice(0, 18);
  const batches: CsvBatch[] = [];
  for (let start = 0; start < monthly.length; start += 3) {
    const rows = monthly.slice(start, start + 3).flatMap((batch) => batch.rows);
    batches.push(csvBatch(`quarter-${start / 3 + 1}`, rows));
  }
  const last = batches.pop() as CsvBatch;
  const shifted = last.rows.map((row) => ({
    ...row,
    temp_max: String(Number(row.temp_max) + 12),
    temp_min: String(Number(row.temp_min) + 12),
    wind: String(Number(row.wind) * 3),
  }));
  batches.push(csvBatch("quarter-6-shifted", shifted));
  return batches;
}

function csvBatch(key: string, rows: Record<string, string>[]): CsvBatch {
  const columns = Object.keys(rows[0] ?? {});
  return { key, rows, csv: [columns.join(","), ...rows.map((row) => columns.map((c) => row[c]).join(","))].join("\n") };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

describe("one run per batch", () => {
  let loop: Loop;
  let trainerDb: pg.Pool;
  let monitoringDb: pg.Pool;

  before(async () => {
    loop = await startLoop(["ingestion", "validation", "feature-store", "registry", "trainer", "monitoring"], {
      TRAINER_SWEEP_INTERVAL: "2s",
    });
    trainerDb = createPool({
      connectionString: loop.infra.databaseUrl,
      schema: serviceSchema(loop.namespace, "trainer"),
    });
    monitoringDb = createPool({
      connectionString: loop.infra.databaseUrl,
      schema: serviceSchema(loop.namespace, "monitoring"),
    });
    const spec = seattleWeatherSpec();
    await loop.specs.apply({
      ...spec,
      name: DATASET,
      // Every quarter (90 rows) is due for retraining and is a drift window of its own.
      training: { ...spec.training, retrainEveryRows: 80, minRows: 250, cooldownSeconds: 0, windowRows: undefined },
      model: { ...spec.model, layers: [{ units: 8, activation: "relu" }], epochs: 3, earlyStopping: undefined },
      drift: { ...spec.drift, minWindowRows: 80, cooldownSeconds: 0 },
    } as DatasetSpecInput);
  });

  after(async () => {
    await trainerDb?.end();
    await monitoringDb?.end();
    await loop?.close();
  });

  /** Waits until the trainer has nothing pending or running, and no run ended less than a sweep ago. */
  async function settled(): Promise<void> {
    await until("trainer idle", async () => {
      const { rows } = await trainerDb.query<{ busy: number }>(
        `SELECT (SELECT count(*) FROM triggers WHERE decision = 'train' AND run_id IS NULL)::int
           + (SELECT count(*) FROM runs WHERE status = 'running')::int AS busy`,
      );
      return rows[0]?.busy === 0 ? true : undefined;
    });
  }

  it("a batch that causes both features.updated and drift.detected yields one run", async () => {
    const batches = quarters();
    // Three quarters: the first model (minRows 250), promoted, and known to monitoring before the next batch.
    for (const batch of batches.slice(0, 3)) await loop.publishArrived(DATASET, batch.key, batch.csv);
    await loop.waitFor("model.promoted", 1, 240_000);
    await until("monitoring holds the champion", async () => {
      const { rows } = await monitoringDb.query("SELECT version FROM champions WHERE dataset = $1", [DATASET]);
      return rows.length > 0 ? true : undefined;
    });
    await settled();
    const runsBefore = (
      await trainerDb.query<{ n: number }>("SELECT count(*)::int AS n FROM runs WHERE reproduces IS NULL")
    ).rows[0]?.n;
    assert.equal(runsBefore, 1);

    for (const [index, batch] of batches.slice(3).entries()) {
      await loop.publishArrived(DATASET, batch.key, batch.csv);
      await loop.waitFor("features.updated", 4 + index, 120_000);
      // Monitoring has checked the batch's window (a data check, drift or not) before we wait for the trainer.
      await until("window checked", async () => {
        const { rows } = await monitoringDb.query(
          "SELECT 1 FROM drift_checks WHERE dataset = $1 AND kind = 'data' AND source = 'batches'",
          [DATASET],
        );
        return rows.length >= index + 1 ? true : undefined;
      });
      // ...and the trainer has recorded every drift.detected monitoring published so far.
      await until("drift triggers recorded", async () => {
        const published = await monitoringDb.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM drift_checks WHERE dataset = $1 AND status = 'published'",
          [DATASET],
        );
        const recorded = await trainerDb.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM triggers WHERE reason = 'drift'",
        );
        return recorded.rows[0]?.n === published.rows[0]?.n ? true : undefined;
      });
      await settled();
    }

    const updated = loop.seen("features.updated").map((event) => (event.data as FeaturesUpdated).batchId);
    assert.equal(updated.length, 6);
    const shiftedBatch = updated[5] as string;
    const drifts = loop.seen("drift.detected").map((event) => ({ id: event.id, data: event.data as DriftDetected }));
    const shiftedDrift = drifts.find((drift) => drift.data.window.batchIds?.includes(shiftedBatch));
    assert.ok(shiftedDrift, `the shifted quarter drifted: ${JSON.stringify(drifts.map((drift) => drift.data.window))}`);

    // One run per batch after the first model: three batches, three runs, each holding its batch for the first time.
    const { rows: runs } = await trainerDb.query<{
      run_id: string;
      trigger: { reason: string; eventIds: string[] };
      snapshot_batches: { batchId: string }[];
    }>("SELECT run_id, trigger, snapshot_batches FROM runs WHERE reproduces IS NULL ORDER BY started_at");
    assert.equal(runs.length, 4, JSON.stringify(runs.map((run) => run.trigger)));
    for (const [index, run] of runs.slice(1).entries()) {
      assert.ok(run.snapshot_batches.some((batch) => batch.batchId === updated[3 + index]));
    }

    // Every drift trigger of a window of batches trained with its batches' features trigger, in the same run, or was
    // skipped because a run had trained on those batches already: never a run of its own.
    const { rows: triggers } = await trainerDb.query<{
      event_id: string;
      reason: string;
      decision: string;
      decision_reason: string;
      run_id: string | null;
      detail: { batchId?: string; batchIds?: string[] };
    }>("SELECT event_id, reason, decision, decision_reason, run_id, detail FROM triggers");
    const driftTriggers = triggers.filter((trigger) => trigger.reason === "drift");
    assert.equal(driftTriggers.length, drifts.length);
    const featuresRun = new Map(
      triggers.filter((t) => t.reason === "features").map((t) => [t.detail.batchId as string, t.run_id]),
    );
    for (const trigger of driftTriggers) {
      const batchIds = trigger.detail.batchIds ?? [];
      assert.ok(batchIds.length > 0, `drift trigger ${trigger.event_id} names its window's batches`);
      if (trigger.decision === "skip") {
        assert.match(
          trigger.decision_reason,
          /run run-\S+ already trained on the \d+ batch\(es\) whose window drifted/,
        );
      } else {
        assert.equal(trigger.run_id, featuresRun.get(batchIds.at(-1) as string), JSON.stringify(trigger));
      }
    }
    const shifted = driftTriggers.find((trigger) => trigger.event_id === shiftedDrift.id);
    assert.ok(shifted);
    assert.ok(shifted.decision === "skip" || shifted.run_id === featuresRun.get(shiftedBatch), JSON.stringify(shifted));

    const runsPerBatch = await trainerDb.query<{ runs: number; batches: number }>(
      `SELECT (SELECT count(*)::int FROM runs WHERE reproduces IS NULL) AS runs,
         (SELECT count(*)::int FROM feature_batches) AS batches`,
    );
    assert.deepEqual(runsPerBatch.rows[0], { runs: 4, batches: 6 });
    const ops = loop.services.get("trainer")?.logs.find((line) => line.event === "service.ops_listening");
    const scraped = await (await fetch(`http://127.0.0.1:${String(ops?.port)}/metrics`)).text();
    const gauge = scraped
      .split("\n")
      .find((line) => line.startsWith("gyre_trainer_runs_per_batch{") && line.includes(`dataset="${DATASET}"`));
    assert.equal(
      Number(gauge?.split(" ").at(-1)),
      4 / 6,
      scraped
        .split("\n")
        .filter((l) => l.includes("per_batch"))
        .join("\n"),
    );
  });
});
