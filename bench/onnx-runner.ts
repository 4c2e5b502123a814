/**
 * `npm run bench -- onnx-runner [--json] [seconds=1.5]`: serving's model runner on an external ONNX model (the
 * PyTorch fixture of e2e/fixtures/onnx: 7 inputs → 16 relu → 5 softmax, through onnxruntime-node on the CPU)
 * against the floor of the same run: serving's tfjs runner on a Gyre model of the same shape (7 → 16 relu → 5
 * softmax, the backend TFJS_BACKEND selects). Both get the same [N, 7] float32 rows; each batch size is run for
 * `seconds`. Reports microseconds per call and rows per second, and the ONNX / tfjs time ratio per batch size.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  buildModel,
  buildSignature,
  checkOnnxSignature,
  EXTERNAL_FORMAT,
  identityPreprocessing,
  type ModelBundle,
  type OnnxBundle,
  openOnnx,
  selectBackend,
} from "@gyre/model";
import { REPO_ROOT } from "@gyre/service";
import { modelInputColumns, parseDatasetSpec } from "@gyre/spec";
import { createRunner, type ModelRunner } from "../services/serving/src/model-runner.ts";
import type { BenchOptions, BenchResult } from "./run.ts";

const BATCHES = [1, 64, 1024];

async function timeRunner(
  runner: ModelRunner,
  rows: number,
  seconds: number,
): Promise<{ usPerCall: number; rowsPerSecond: number }> {
  const x = new Float32Array(rows * runner.width);
  for (let i = 0; i < x.length; i++) x[i] = (i % 17) - 4;
  for (let i = 0; i < 50; i++) await runner.run(x, rows);
  let calls = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  while (performance.now() < until) {
    await runner.run(x, rows);
    calls += 1;
  }
  const elapsed = (performance.now() - started) / 1000;
  return { usPerCall: (elapsed / calls) * 1e6, rowsPerSecond: (calls * rows) / elapsed };
}

export async function run(options: BenchOptions): Promise<BenchResult> {
  const seconds = Number(options.args[0] ?? 1.5);
  const backend = await selectBackend(process.env.TFJS_BACKEND);
  const spec = parseDatasetSpec(readFileSync(join(REPO_ROOT, "examples/seattle-weather.spec.yaml"), "utf8"));
  const preprocessing = identityPreprocessing(spec);
  const onnxFile = readFileSync(join(REPO_ROOT, "e2e/fixtures/onnx/seattle-weather.onnx"));
  const built = buildModel(spec.model, preprocessing.label, preprocessing.features.length, 1);
  const signature = buildSignature(modelInputColumns(spec), preprocessing, built.output);
  const tfjs = createRunner({ model: built.model, preprocessing, signature } as unknown as ModelBundle);
  const onnxBundle = {
    onnx: await openOnnx(onnxFile, spec.name),
    external: { format: EXTERNAL_FORMAT, ...(await checkOnnxSignature(onnxFile, spec)) },
    preprocessing,
    signature,
  } as unknown as OnnxBundle;
  const onnx = createRunner(onnxBundle);
  const rows: Record<string, string | number>[] = [];
  const ratios: Record<string, number> = {};
  for (const batch of BATCHES) {
    const floor = await timeRunner(tfjs, batch, seconds);
    const measured = await timeRunner(onnx, batch, seconds);
    ratios[`rows${batch}`] = measured.usPerCall / floor.usPerCall;
    rows.push(
      {
        runner: `tfjs (${backend.name})`,
        rows: batch,
        usPerCall: Math.round(floor.usPerCall),
        rowsPerSecond: Math.round(floor.rowsPerSecond),
      },
      {
        runner: "onnxruntime-node",
        rows: batch,
        usPerCall: Math.round(measured.usPerCall),
        rowsPerSecond: Math.round(measured.rowsPerSecond),
        ratioToTfjs: Number(ratios[`rows${batch}`]?.toFixed(2)),
      },
    );
  }
  await onnxBundle.onnx.release();
  built.model.dispose();
  return { rows, summary: { tfjsBackend: backend.name, seconds, onnxToTfjsTimeRatio: ratios, table: rows } };
}
