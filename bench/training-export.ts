/**
 * `npm run bench -- training-export [--json] [epochs] [repeats]`: the trainer's real path to a model from a
 * 50,000-row snapshot — ExportTrainingSet from a running feature store over gRPC, columnar chunks decoded into rows,
 * then trainModel — against a bare tfjs `model.fit` on the identical training tensors (same backend, architecture,
 * epochs, batch size, learning rate). Needs the infrastructure (deploy/local/.run/env): the rows go into the feature
 * store first, as ten data.validated batches of 5,000, before anything is timed.
 * Fields as in `training`: `trainerMs` (export + train), `bareFitMs`, `ratio`; plus `exportMs` on its own.
 * Then the cost of history (bench/support/exportHistory.ts): `historyRatio` = the time to export the same 10,000-row
 * window from a dataset of 2,000,000 stored rows ÷ from one of 20,000 (target ≤ 1.5), with `historySmallMs`,
 * `historyLargeMs` and `historyLoadMs` (creating both, COPY included). `history=only` measures only that.
 */

import * as grpc from "@grpc/grpc-js";
import { createArtifactStore } from "@gyre/artifacts";
import { connectBus, deleteStreams } from "@gyre/bus";
import { newEvent } from "@gyre/contracts";
import { dropSchema } from "@gyre/db";
import { loadProto } from "@gyre/grpc";
import { disposeBundle, selectBackend } from "@gyre/model";
import { serviceSchema } from "@gyre/service";
import { SpecStore } from "@gyre/spec";
import { infraFromEnv, serviceEnv, startService, uniqueId } from "@gyre/testkit";
import { trainModel } from "../services/trainer/src/train.ts";
import { exportRequest, exportTrainingSet } from "../services/trainer/src/trainingSet.ts";
import type { BenchOptions, BenchResult } from "./run.ts";
import { measureHistory, WINDOW_ROWS } from "./support/exportHistory.ts";
import { benchSpec, syntheticRows, type Timing, timeBareFit, timed } from "./training.ts";

const ROWS = 50_000;
const BATCHES = 10;
const EXPORT_DEADLINE_MS = 600_000;

export async function run(options: BenchOptions): Promise<BenchResult> {
  const epochs = Number(options.args[0] ?? 5);
  const repeats = Number(options.args[1] ?? 3);
  const infra = infraFromEnv();
  const namespace = uniqueId("bench");
  const bucket = `gyre-${namespace}`;
  const spec = benchSpec(epochs);
  const bus = await connectBus({ servers: infra.natsUrl, namespace, name: `${namespace}-bench` });
  const specs = await SpecStore.open(bus.connection, namespace);
  const store = createArtifactStore({ ...infra.s3, bucket });
  const featureStore = await startService("feature-store", {
    ...serviceEnv(infra, namespace, bucket),
    FEATURE_STORE_GRPC_PORT: "0",
    LOG_LEVEL: "info",
  });
  try {
    const { revision } = await specs.apply(spec);
    await store.ensureBucket();
    const written = new Set<string>();
    await bus.consume({
      service: "bench-probe",
      events: ["features.updated"],
      handler: (event) => {
        written.add((event.data as { batchId: string }).batchId);
      },
    });
    const rows = syntheticRows(ROWS);
    const size = ROWS / BATCHES;
    for (let batch = 0; batch < BATCHES; batch++) {
      const batchId = `bench-${batch}`;
      const body = rows
        .slice(batch * size, (batch + 1) * size)
        .map((row) => `${JSON.stringify(row)}\n`)
        .join("");
      const rowsKey = `rows/${spec.name}/${batchId}.ndjson`;
      await store.put(rowsKey, body);
      const data = {
        batchId,
        dataset: spec.name,
        sha256: "0".repeat(63) + String(batch % 10),
        specRevision: revision,
        rowCount: size,
        validRows: size,
        invalidRows: 0,
        statistics: {},
        anomalies: [],
        rowsKey,
      };
      await bus.publish(newEvent("data.validated", "bench", data, { id: `validated-${batchId}` }), spec.name);
    }
    while (written.size < BATCHES) await new Promise((resolve) => setTimeout(resolve, 200));

    const listening = await featureStore.waitForLog((line) => line.event === "grpc.listening");
    const { FeatureStore } = loadProto("featurestore/feature_store.proto").gyre.featurestore.v1;
    const client = new FeatureStore(`127.0.0.1:${String(listening.port)}`, grpc.credentials.createInsecure());
    const backend = await selectBackend(process.env.TFJS_BACKEND);
    const request = exportRequest(spec, null);

    // Warm-up: the feature store's first export and tfjs's kernels, before anything is timed.
    const warm = await exportTrainingSet(client, request, EXPORT_DEADLINE_MS);
    const warmRun = await trainModel({
      spec: benchSpec(1),
      trainRows: warm.trainRows.slice(0, 2000),
      holdoutRows: warm.holdoutRows.slice(0, 500),
    });
    disposeBundle(warmRun.bundle);

    const trainer: Timing[] = [];
    const exports: Timing[] = [];
    const bare: Timing[] = [];
    let accuracy = 0;
    let trainRows = 0;
    for (let repeat = 0; repeat < repeats; repeat++) {
      const path = await timed(async () => {
        const exported = await timed(() => exportTrainingSet(client, request, EXPORT_DEADLINE_MS));
        exports.push(exported);
        const { trainRows: fitRows, holdoutRows } = exported.result;
        const result = await trainModel({ spec, trainRows: fitRows, holdoutRows });
        disposeBundle(result.bundle);
        return { accuracy: result.metrics.accuracy ?? 0, set: exported.result };
      });
      trainer.push(path);
      accuracy = path.result.accuracy;
      trainRows = path.result.set.trainRows.length;
      bare.push(await timeBareFit(spec, path.result.set.trainRows));
    }
    const history = await measureHistory(
      {
        bus,
        specs,
        store,
        written,
        databaseUrl: infra.databaseUrl,
        schema: serviceSchema(namespace, "feature-store"),
      },
      client,
      repeats,
    );
    client.close();

    const fastest = (timings: Timing[], field: keyof Timing) => Math.round(Math.min(...timings.map((t) => t[field])));
    const trainerMs = fastest(trainer, "ms");
    const bareFitMs = fastest(bare, "ms");
    const exportMs = fastest(exports, "ms");
    const common = { backend: backend.name, rows: ROWS, trainRows, epochs, batchSize: spec.model.batchSize };
    const runs = (timings: Timing[]) => timings.map((t) => `${Math.round(t.ms)}/${Math.round(t.cpuMs)}`).join(" ");
    return {
      rows: [
        {
          what: "export (gRPC + decode)",
          ...common,
          ms: exportMs,
          cpuMs: fastest(exports, "cpuMs"),
          "runs ms/cpu": runs(exports),
        },
        {
          what: "trainer (export + trainModel)",
          ...common,
          ms: trainerMs,
          cpuMs: fastest(trainer, "cpuMs"),
          "runs ms/cpu": runs(trainer),
        },
        { what: "bare tfjs fit", ...common, ms: bareFitMs, cpuMs: fastest(bare, "cpuMs"), "runs ms/cpu": runs(bare) },
        ...(["small", "large"] as const).map((size) => ({
          what: `export ${WINDOW_ROWS} of ${size === "small" ? history.smallRows : history.largeRows} stored rows`,
          ms: Math.round(size === "small" ? history.smallMs : history.largeMs),
          cpuMs: fastest(history.runs[size], "cpuMs"),
          "runs ms/cpu": runs(history.runs[size]),
        })),
      ],
      summary: {
        ...common,
        historyRatio: Number((history.largeMs / history.smallMs).toFixed(3)),
        historyTarget: 1.5,
        historySmallMs: Math.round(history.smallMs),
        historyLargeMs: Math.round(history.largeMs),
        historySmallRows: history.smallRows,
        historyLargeRows: history.largeRows,
        historyWindowRows: WINDOW_ROWS,
        historyLoadMs: Math.round(history.loadMs),
        trainerMs,
        bareFitMs,
        ratio: Number((trainerMs / bareFitMs).toFixed(3)),
        target: 1.25,
        exportMs,
        holdoutAccuracy: Number(accuracy.toFixed(4)),
      },
    };
  } finally {
    await featureStore.stop();
    await deleteStreams(bus).catch(() => undefined);
    await specs.destroy().catch(() => undefined);
    await bus.close();
    await dropSchema(infra.databaseUrl, serviceSchema(namespace, "feature-store")).catch(() => undefined);
    await store.removeBucket(true).catch(() => undefined);
  }
}
