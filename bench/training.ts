/**
 * `npm run bench -- training [--json] [epochs] [repeats]`: the trainer producing a model from a 50,000-row
 * snapshot (trainModel: checks, preprocessing fit, seeded epochs, reference statistics, holdout evaluation)
 * against a bare tfjs `model.fit` on the identical training tensors, with the same backend, architecture,
 * epochs, batch size and learning rate. Synthetic rows until the feature store export feeds it.
 * Each side runs `repeats` times, alternating; the fastest run of each counts (the machine is shared). Wall time
 * gives `trainerMs`, `bareFitMs` and `ratio`; process CPU time gives the `cpu*` figures beside them.
 */

import {
  buildModel,
  disposeBundle,
  encodeLabels,
  type FeatureRow,
  fitPreprocessing,
  labelTarget,
  mulberry32,
  selectBackend,
  targetTensor,
  transformRows,
} from "@gyre/model";
import type { DatasetSpec } from "@gyre/spec";
import { validateDatasetSpec } from "@gyre/spec";
import * as tf from "@tensorflow/tfjs";
import { trainModel } from "../services/trainer/src/train.ts";
import type { BenchOptions, BenchResult } from "./run.ts";

const ROWS = 50_000;
const HOLDOUT_SHARE = 0.2;
const COLOURS = ["red", "green", "blue", "grey"];

export function benchSpec(epochs: number): DatasetSpec {
  return validateDatasetSpec({
    name: "bench-training",
    eventTime: "at",
    features: [
      { name: "at", type: "timestamp" },
      ...["a", "b", "c", "d", "e", "f"].map((name) => ({ name, type: "numeric" })),
      { name: "colour", type: "categorical", categories: COLOURS },
    ],
    label: { name: "outcome", type: "categorical", classes: ["low", "mid", "high"] },
    training: { holdoutShare: HOLDOUT_SHARE, seed: 42 },
    model: {
      kind: "mlp-classifier",
      layers: [{ units: 32 }, { units: 16 }],
      epochs,
      batchSize: 256,
      learningRate: 0.01,
    },
    promotion: { metric: "accuracy" },
  });
}

/** Normal features, a colour, and a 3-class label from a noisy linear score; in event-time order. */
export function syntheticRows(count: number): FeatureRow[] {
  const random = mulberry32(2024);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const start = Date.parse("2024-01-01T00:00:00Z");
  return Array.from({ length: count }, (_, index) => {
    const [a, b, c, d, e, f] = Array.from({ length: 6 }, normal) as [number, number, number, number, number, number];
    const colour = COLOURS[Math.floor(random() * COLOURS.length)] as string;
    const score = a + 0.5 * b - 0.8 * c + 0.3 * d * e + (colour === "red" ? 0.7 : 0) + 0.5 * normal();
    return {
      at: new Date(start + index * 60_000).toISOString(),
      a,
      b,
      c,
      d,
      e,
      f,
      colour,
      outcome: score < -0.5 ? "low" : score < 0.5 ? "mid" : "high",
    };
  });
}

export interface Timing {
  ms: number;
  /** Process CPU time (user + system): steadier than wall time when other work shares the cores. */
  cpuMs: number;
}

export async function timed<T>(work: () => Promise<T>): Promise<Timing & { result: T }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, result };
}

async function timeTrainer(spec: DatasetSpec, trainRows: FeatureRow[], holdoutRows: FeatureRow[]) {
  const run = await timed(() => trainModel({ spec, trainRows, holdoutRows }));
  disposeBundle(run.result.bundle);
  return { ms: run.ms, cpuMs: run.cpuMs, accuracy: run.result.metrics.accuracy as number };
}

/** The same architecture and optimizer, fitted by tfjs alone on the trainer's own input tensors. */
export async function timeBareFit(spec: DatasetSpec, trainRows: FeatureRow[]) {
  const preprocessing = fitPreprocessing(spec, trainRows);
  const labels = encodeLabels(labelTarget(spec), trainRows, true);
  const width = preprocessing.features.length;
  const x = tf.tensor2d(transformRows(preprocessing, trainRows), [trainRows.length, width], "float32");
  const built = buildModel(spec.model, preprocessing.label, width, spec.training.seed);
  const y = targetTensor(built.output, labels.targets, 3);
  const fit = await timed(() =>
    built.model.fit(x, y, { epochs: spec.model.epochs, batchSize: spec.model.batchSize, shuffle: true, verbose: 0 }),
  );
  tf.dispose([x, y]);
  built.model.dispose();
  return { ms: fit.ms, cpuMs: fit.cpuMs };
}

export async function run(options: BenchOptions): Promise<BenchResult> {
  const epochs = Number(options.args[0] ?? 5);
  const repeats = Number(options.args[1] ?? 3);
  const backend = await selectBackend(process.env.TFJS_BACKEND);
  const spec = benchSpec(epochs);
  const rows = syntheticRows(ROWS);
  const cut = ROWS - Math.round(ROWS * HOLDOUT_SHARE);
  const trainRows = rows.slice(0, cut);
  const holdoutRows = rows.slice(cut);

  // Warm-up: kernels compiled and memory allocated once before anything is timed.
  await timeTrainer(benchSpec(1), trainRows.slice(0, 2000), holdoutRows.slice(0, 500));

  const trainer: Timing[] = [];
  const bare: Timing[] = [];
  let accuracy = 0;
  for (let repeat = 0; repeat < repeats; repeat++) {
    const run = await timeTrainer(spec, trainRows, holdoutRows);
    trainer.push(run);
    accuracy = run.accuracy;
    bare.push(await timeBareFit(spec, trainRows));
  }
  const fastest = (timings: Timing[], field: keyof Timing) => Math.round(Math.min(...timings.map((t) => t[field])));
  const trainerMs = fastest(trainer, "ms");
  const bareFitMs = fastest(bare, "ms");
  const trainerCpuMs = fastest(trainer, "cpuMs");
  const bareFitCpuMs = fastest(bare, "cpuMs");
  const common = {
    backend: backend.name,
    rows: ROWS,
    trainRows: trainRows.length,
    epochs,
    batchSize: spec.model.batchSize,
  };
  const runs = (timings: Timing[]) => timings.map((t) => `${Math.round(t.ms)}/${Math.round(t.cpuMs)}`).join(" ");
  return {
    rows: [
      { what: "trainer (trainModel)", ...common, ms: trainerMs, cpuMs: trainerCpuMs, "runs ms/cpu": runs(trainer) },
      { what: "bare tfjs fit", ...common, ms: bareFitMs, cpuMs: bareFitCpuMs, "runs ms/cpu": runs(bare) },
    ],
    summary: {
      ...common,
      trainerMs,
      bareFitMs,
      ratio: Number((trainerMs / bareFitMs).toFixed(3)),
      target: 1.25,
      trainerCpuMs,
      bareFitCpuMs,
      cpuRatio: Number((trainerCpuMs / bareFitCpuMs).toFixed(3)),
      holdoutAccuracy: Number(accuracy.toFixed(4)),
    },
  };
}
