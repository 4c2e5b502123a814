/**
 * The demo stream that `npm start` runs once the services are up: applies examples/weather.spec.yaml as dataset
 * `weather`, then sends vega-datasets weather.csv as a producer would, one `data.arrived` per city and month —
 * Seattle first, then New York — and waits for the loop to answer: a first champion from Seattle, drift on New York,
 * a retrain that drift started, promoted and served.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Bus } from "@gyre/bus";
import { newEvent } from "@gyre/contracts";
import { REPO_ROOT } from "@gyre/service";
import { parseDatasetSpec, type SpecStore } from "@gyre/spec";
import { untilChampionLoaded } from "./demo/championWatch.ts";
import { label } from "./demo/eventLines.ts";
import type { LiveView } from "./demo/liveView.ts";
import type { LoopObserver } from "./demo/loopObserver.ts";
import type { LoopRecord } from "./demo/loopRecord.ts";
import { until } from "./demo/loopWaits.ts";
import { DEFAULT_PORTS } from "./demo/ports.ts";
import { type MonthBatch, weatherBatches } from "./demo/weatherBatches.ts";

export const DATASET = "weather";
export const SPEC_FILE = "examples/weather.spec.yaml";
export const FIRST_CITY = "Seattle";
export const DRIFTING_CITY = "New York";
/** The first model waits for this share of the first city's rows, so it has seen every season there. */
const FIRST_MODEL_SHARE = 0.8;
/** Seconds between two drift.detected of the dataset: short, so drift on New York is not held back by an earlier one. */
const DRIFT_COOLDOWN_SECONDS = 20;
/** Longest the producer holds back after drift, waiting for the retrain's verdict, before it sends the rest. */
const HOLD_AFTER_DRIFT_MS = 240_000;
/** Longest the producer waits for serving and monitoring to load a new champion. */
const LOAD_MS = 60_000;
/** Once the loop did what the demo promises, how long it may take to finish the batches still in flight. */
const SETTLE_MS = 60_000;

export interface DemoRun {
  bus: Bus;
  specs: SpecStore;
  record: LoopRecord;
  observer: LoopObserver;
  view: LiveView;
  /** Prefix of every batch key, unique per run. */
  keyPrefix: string;
  delayMs: number;
  /** Epoch ms after which the demo stops waiting for the loop. */
  deadline: number;
  signal: AbortSignal;
}

/**
 * The spec as in examples/, with what the demo changes: retrains come from drift only (`retrainEveryRows: 0`, no
 * training cooldown), the first model waits for most of the first city (`minRows`), drift has a short cooldown, and
 * 15 epochs keep trainings quick. Returns the revision and whether the dataset already had a spec in this namespace.
 */
async function applyDemoSpec(specs: SpecStore, minRows: number): Promise<{ revision: number; existed: boolean }> {
  const spec = parseDatasetSpec(readFileSync(join(REPO_ROOT, SPEC_FILE), "utf8"));
  const existed = (await specs.list()).includes(DATASET);
  const applied = await specs.apply(
    {
      ...spec,
      name: DATASET,
      training: { ...spec.training, retrainEveryRows: 0, cooldownSeconds: 0, minRows },
      model: { ...spec.model, epochs: 15 },
      drift: { ...spec.drift, cooldownSeconds: DRIFT_COOLDOWN_SECONDS },
    },
    { actor: "npm start" },
  );
  return { revision: applied.revision, existed };
}

async function send(run: DemoRun, batch: MonthBatch): Promise<void> {
  run.record.markSent(batch);
  const event = newEvent(
    "data.arrived",
    "gyre-demo",
    { dataset: DATASET, batchKey: batch.key, format: "csv", rows: batch.csv, labelled: true },
    { id: `demo-${batch.key}` },
  );
  await run.bus.publish(event, DATASET);
  run.observer.refreshCounters();
  await sleep(run.delayMs, undefined, { signal: run.signal });
}

/** Waits until serving answers with, and monitoring scores by, the latest promoted version. */
async function untilServed(run: DemoRun): Promise<void> {
  const version = run.record.promotions.at(-1)?.version;
  if (version === undefined) return;
  const ports = [DEFAULT_PORTS.serving.metrics, DEFAULT_PORTS.monitoring.metrics];
  const deadline = Math.min(run.deadline, Date.now() + LOAD_MS);
  const loaded = await untilChampionLoaded(ports, DATASET, version, deadline, run.signal);
  run.view.line(
    loaded
      ? `${label("served")}v${version}: serving and monitoring loaded it`
      : `${label("served")}v${version} not loaded by serving and monitoring within ${LOAD_MS / 1000} s; going on`,
  );
}

/**
 * Sends the drifting city. After a drift it holds the rest until the registry decided on the retrain that drift
 * started, so the batches after it are scored by the verdict. If that retrain was not promoted, it waits out the
 * drift cooldown before going on, so the next batches can start another; after a promoted one it just streams.
 */
async function streamDrifting(run: DemoRun, batches: MonthBatch[]): Promise<void> {
  const { record, view } = run;
  let driftsSeen = record.drifts.length;
  let promoted = false;
  for (const batch of batches) {
    await send(run, batch);
    if (promoted || record.drifts.length === driftsSeen) continue;
    driftsSeen = record.drifts.length;
    const decisionsBefore = record.decisions.length;
    const driftDecision = () =>
      record.decisions.slice(decisionsBefore).find((decision) => record.triggerOf(decision.runId) === "drift");
    view.line(`${label("hold")}the stream while the loop retrains on the drift, so the rest meets its verdict`);
    const outcome = await until(
      run,
      () => driftDecision() !== undefined,
      Math.min(run.deadline, Date.now() + HOLD_AFTER_DRIFT_MS),
    );
    promoted = driftDecision()?.kind === "promoted";
    if (promoted) {
      await untilServed(run);
    } else if (outcome === "done") {
      const cooldownLeft = record.lastDriftAt + DRIFT_COOLDOWN_SECONDS * 1000 - Date.now();
      view.line(
        `${label("wait")}out the drift cooldown (${Math.ceil(Math.max(cooldownLeft, 0) / 1000)} s) so the next batches can start another retrain`,
      );
      if (cooldownLeft > 0) await sleep(cooldownLeft, undefined, { signal: run.signal });
    }
    view.line(`${label("stream")}resumed${outcome === "done" ? "" : ` without a verdict on a retrain (${outcome})`}`);
  }
}

export async function runDemo(run: DemoRun): Promise<void> {
  const { view, record } = run;
  const batches = weatherBatches(run.keyPrefix);
  const first = batches.get(FIRST_CITY) ?? [];
  const drifting = batches.get(DRIFTING_CITY) ?? [];
  if (first.length === 0 || drifting.length === 0) {
    throw new Error(`weather.csv has no rows of ${first.length === 0 ? FIRST_CITY : DRIFTING_CITY}`);
  }
  const minRows = Math.floor(FIRST_MODEL_SHARE * first.reduce((sum, batch) => sum + batch.rows, 0));
  const spec = await applyDemoSpec(run.specs, minRows);
  view.line(
    `${label("spec")}${SPEC_FILE} as dataset ${DATASET} revision ${spec.revision}: retrains on drift only ` +
      `(retrainEveryRows 0), first model after ${minRows} rows (minRows), drift cooldown ${DRIFT_COOLDOWN_SECONDS} s, 15 epochs`,
  );
  if (spec.existed) {
    view.line(`${label("note")}dataset ${DATASET} existed in this namespace: the loop goes on from the state it had`);
  }
  run.observer.plan(first.length + drifting.length);

  view.line(`${label("stream")}${FIRST_CITY}: ${first.length} monthly batches, ${run.delayMs} ms apart`);
  for (const batch of first) await send(run, batch);
  if (!spec.existed && record.promotions.length === 0) {
    view.line(`${label("wait")}for the first champion before ${DRIFTING_CITY} arrives`);
    if ((await until(run, () => record.promotions.length > 0, run.deadline)) !== "done") return;
  }
  if (record.promotions.length > 0) await untilServed(run);

  view.line(`${label("stream")}${DRIFTING_CITY}: ${drifting.length} monthly batches, ${run.delayMs} ms apart`);
  await streamDrifting(run, drifting);
  run.observer.refreshCounters(true);

  view.line(`${label("wait")}for the loop to finish the batches in flight`);
  if ((await until(run, () => record.missing().length === 0, run.deadline)) === "done") {
    const scored = (batch: { location: string }) => batch.location === DRIFTING_CITY;
    await until(run, () => record.settled(scored), Math.min(run.deadline, Date.now() + SETTLE_MS));
  }
  run.observer.refreshCounters(true);
}
