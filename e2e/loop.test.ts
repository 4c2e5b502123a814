import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as grpc from "@grpc/grpc-js";
import {
  type InferenceClient,
  loadProto,
  type ModelInferResponse__Output,
  type ModelMetadataResponse__Output,
} from "@gyre/grpc";
import { serviceSchema } from "@gyre/service";
import pg from "pg";
import { type CsvBatch, driftOnlyWeatherSpec, eventually, type Loop, monthlyBatches, startLoop } from "./harness.ts";

const DATASET = "weather";
const LOOP = ["ingestion", "validation", "feature-store", "registry", "trainer", "serving", "monitoring"] as const;

interface Performance {
  batchId: string;
  modelVersion: number;
  value: number;
}

function unary<T>(client: InferenceClient, method: "ModelMetadata" | "ModelInfer", request: object): Promise<T> {
  return new Promise((resolve, reject) => {
    const call = client[method] as unknown as (
      req: object,
      cb: (err: grpc.ServiceError | null, res: T) => void,
    ) => void;
    call.call(client, request, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

/** One FP32 [1, F] request in the model's own input order; values from one real New York row. */
async function inferOnce(client: InferenceClient): Promise<ModelInferResponse__Output> {
  const metadata = await unary<ModelMetadataResponse__Output>(client, "ModelMetadata", { name: DATASET });
  const inputs = metadata.inputs.map((input) => input.name);
  const example: Record<string, number> = {
    precipitation: 0,
    temp_max: 5.6,
    temp_min: -1.1,
    wind: 4.5,
    month: 1,
    temp_max_lag1: 6.1,
    precipitation_mean_7: 1.2,
  };
  const tensorInputs =
    inputs.length === 1 && metadata.inputs[0]?.shape.length === 2
      ? [
          {
            name: inputs[0],
            datatype: "FP32",
            shape: [1, Number(metadata.inputs[0]?.shape[1])],
            contents: { fp32_contents: Object.values(example) },
          },
        ]
      : inputs.map((name) => ({
          name,
          datatype: "FP32",
          shape: [1],
          contents: { fp32_contents: [example[name] ?? 0] },
        }));
  return unary<ModelInferResponse__Output>(client, "ModelInfer", {
    model_name: DATASET,
    id: "e2e",
    inputs: tensorInputs,
  });
}

interface JaegerSpan {
  traceID: string;
  spanID: string;
  processID: string;
  references: { refType: string; traceID: string; spanID: string }[];
  tags: { key: string; value: unknown }[];
}
interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string }>;
}

/**
 * Service edges (`parent→child`, "gyre-" dropped) among the spans of this namespace's traces since `since`: a span
 * whose parent (CHILD_OF) or link (FOLLOWS_FROM) is a span of another service.
 */
async function serviceEdges(jaegerUrl: string, namespace: string, since: number): Promise<Set<string>> {
  const serviceOf = new Map<string, string>();
  const spans: JaegerSpan[] = [];
  for (const service of LOOP) {
    const url = `${jaegerUrl}/api/traces?service=gyre-${service}&start=${since * 1000}&end=${Date.now() * 1000}&limit=2000`;
    const response = await fetch(url);
    if (!response.ok) throw new Error(`Jaeger ${url}: HTTP ${response.status}`);
    const traces = ((await response.json()) as { data: JaegerTrace[] }).data ?? [];
    for (const trace of traces) {
      const ours = trace.spans.some((span) => span.tags.some((tag) => String(tag.value).startsWith(`${namespace}.`)));
      if (!ours) continue;
      for (const span of trace.spans) {
        if (serviceOf.has(span.spanID)) continue;
        serviceOf.set(span.spanID, (trace.processes[span.processID]?.serviceName ?? "").replace(/^gyre-/, ""));
        spans.push(span);
      }
    }
  }
  const edges = new Set<string>();
  for (const span of spans) {
    const child = serviceOf.get(span.spanID);
    for (const reference of span.references) {
      const parent = serviceOf.get(reference.spanID);
      if (parent && child && parent !== child) edges.add(`${parent}→${child}`);
    }
  }
  return edges;
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

describe("the closed loop on weather.csv: Seattle trains a champion, New York drifts, a retrain is promoted", () => {
  let loop: Loop;
  let client: InferenceClient;
  const seattle = monthlyBatches("weather.csv", (row) => row.location === "Seattle");
  const newYork = monthlyBatches("weather.csv", (row) => row.location === "New York");
  const phases: Record<string, number> = {};
  let firstVersion = 0;
  let retrainedVersion = 0;
  const loopStarted = Date.now();

  before(async () => {
    loop = await startLoop(LOOP);
    await loop.specs.apply(driftOnlyWeatherSpec(DATASET, 15));
    const address = `127.0.0.1:${String(loop.services.get("serving")?.logs.find((l) => l.event === "grpc.listening")?.port)}`;
    const Inference = loadProto("inference/grpc_predict_v2.proto").inference.GRPCInferenceService;
    client = new Inference(address, grpc.credentials.createInsecure());
  });

  after(async () => {
    client?.close();
    await loop?.close();
    console.log(`# loop phases (ms): ${JSON.stringify(phases)}`);
  });

  const publishAll = async (batches: CsvBatch[]) => {
    for (const batch of batches) await loop.publishArrived(DATASET, batch.key, batch.csv);
  };

  it("trains, promotes and serves a first model from the Seattle stream", async () => {
    const started = Date.now();
    await publishAll(seattle);
    const promoted = await loop.waitFor("model.promoted", 1, 240_000);
    const first = promoted[0];
    assert.ok(first);
    firstVersion = (first.data as { version: number }).version;
    assert.equal(firstVersion, 1);
    const response = await eventually("serving answers with version 1", 60_000, async () => {
      const answer = await inferOnce(client);
      return answer.model_version === "1" ? answer : undefined;
    });
    assert.equal(response.model_name, DATASET);
    await loop.waitFor("features.updated", seattle.length, 240_000);
    phases.seattle = Date.now() - started;
  });

  it("detects drift on the New York stream, retrains without a manual step and serves the new champion", async () => {
    const started = Date.now();
    const firstHalf = newYork.slice(0, 12);
    await publishAll(firstHalf);
    const drift = await loop.waitFor("drift.detected", 1, 240_000);
    const driftData = drift[0]?.data as { kind: string; features: { name: string }[] };
    assert.ok(driftData.features.length > 0, "drift names the features that drifted");
    phases.driftDetected = Date.now() - started;
    const promotedAgain = await eventually("a retrained model is promoted", 300_000, async () =>
      loop.seen("model.promoted").find((event) => (event.data as { version: number }).version > firstVersion),
    );
    retrainedVersion = (promotedAgain.data as { version: number }).version;
    const trained = loop
      .seen("model.trained")
      .find((event) => (event.data as { trigger: { reason: string } }).trigger.reason === "drift");
    assert.ok(trained, "a model.trained whose trigger is the drift");
    phases.retrained = Date.now() - started;
    await eventually(`serving answers with version ${retrainedVersion}`, 60_000, async () => {
      const answer = await inferOnce(client);
      return answer.model_version === String(retrainedVersion) ? answer : undefined;
    });
    phases.servedNewChampion = Date.now() - started;
    await publishAll(newYork.slice(12));
    await loop.waitFor("features.updated", seattle.length + newYork.length, 240_000);
    phases.newYork = Date.now() - started;
  });

  it("measures a higher prequential accuracy on New York batches after the retrain than before it", async () => {
    const newYorkBatchIds = new Set(
      loop
        .seen("data.ingested")
        .filter((event) => (event.data as { batchKey: string }).batchKey.includes("New_York"))
        .map((event) => (event.data as { batchId: string }).batchId),
    );
    const measured = await eventually("performance.measured for every New York batch", 120_000, async () => {
      const scores = loop
        .seen("performance.measured")
        .map((event) => event.data as Performance)
        .filter((score) => newYorkBatchIds.has(score.batchId));
      return scores.length >= newYorkBatchIds.size ? scores : undefined;
    });
    const before = measured.filter((score) => score.modelVersion === firstVersion).map((score) => score.value);
    const afterRetrain = measured.filter((score) => score.modelVersion >= retrainedVersion).map((score) => score.value);
    assert.ok(before.length > 0 && afterRetrain.length > 0, "New York batches scored by both champions");
    console.log(
      `# prequential accuracy on New York: before ${mean(before).toFixed(3)} (${before.length} batches), after ${mean(afterRetrain).toFixed(3)} (${afterRetrain.length} batches)`,
    );
    assert.ok(mean(afterRetrain) > mean(before));
  });

  it("tells the loop as traces in Jaeger: every service edge appears as a parent→child or link relation", async () => {
    const expected = [
      "ingestion→validation",
      "validation→feature-store",
      "feature-store→trainer",
      "trainer→registry",
      "registry→serving",
      "monitoring→trainer",
    ];
    const edges = await eventually("every expected edge in Jaeger", 60_000, async () => {
      const found = await serviceEdges(loop.infra.jaegerQueryUrl, loop.namespace, loopStarted);
      return expected.every((edge) => found.has(edge)) ? found : undefined;
    }).catch(async (err) => {
      const found = await serviceEdges(loop.infra.jaegerQueryUrl, loop.namespace, loopStarted);
      throw new Error(`${(err as Error).message}; edges seen: ${[...found].sort().join(", ")}`);
    });
    for (const edge of expected) assert.ok(edges.has(edge), edge);
  });

  it("writes handler log lines whose trace_id and span_id are those of the handler's span in Jaeger", async () => {
    const ingestion = loop.services.get("ingestion");
    const line = ingestion?.logs.find((entry) => entry.event === "batch.ingested" && entry.trace_id);
    assert.ok(line, "a batch.ingested log line with a trace_id");
    const response = await fetch(`${loop.infra.jaegerQueryUrl}/api/traces/${String(line.trace_id)}`);
    assert.equal(response.status, 200);
    const trace = ((await response.json()) as { data: JaegerTrace[] }).data[0];
    const span = trace?.spans.find((candidate) => candidate.spanID === line.span_id);
    assert.ok(span, `span ${String(line.span_id)} in trace ${String(line.trace_id)}`);
    assert.equal(trace?.processes[span.processID]?.serviceName, "gyre-ingestion");
  });

  it("serves the documented Prometheus series on every service's /metrics", async () => {
    // Every service consuming through a shared durable consumer records the bus series; serving follows promotions
    // with a per-replica ordered consumer (every replica must load each champion) and documents its own series.
    const consumers = [
      "process_cpu_seconds_total",
      "gyre_events_handled_total",
      "gyre_events_failed_total",
      "gyre_events_dead_lettered_total",
      "gyre_handler_duration_seconds",
      "gyre_consumer_pending_messages",
    ];
    const documented: Record<string, string[]> = {
      ingestion: consumers,
      validation: consumers,
      "feature-store": consumers,
      trainer: [...consumers, "gyre_training_duration_seconds"],
      registry: [...consumers, "gyre_champion_version", "gyre_grpc_server_duration_seconds"],
      monitoring: [...consumers, "gyre_champion_version"],
      serving: [
        "process_cpu_seconds_total",
        "gyre_serving_request_duration_seconds",
        "gyre_serving_errors_total",
        "gyre_serving_batch_rows",
        "gyre_serving_queue_delay_seconds",
        "gyre_serving_model_version",
        "gyre_serving_prediction_logs_dropped_total",
      ],
    };
    const missing: string[] = [];
    for (const [name, service] of loop.services) {
      const port = service.logs.find((entry) => entry.event === "service.ops_listening")?.port;
      const text = await (await fetch(`http://127.0.0.1:${String(port)}/metrics`)).text();
      for (const series of documented[name] ?? []) {
        if (!new RegExp(`^# TYPE ${series} `, "m").test(text)) missing.push(`${name}: ${series}`);
      }
      if (name !== "serving" && !/^gyre_consumer_pending_messages\{[^}]*consumer="/m.test(text)) {
        missing.push(`${name}: a gyre_consumer_pending_messages sample`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it("loses nothing: rows in the feature store equal rows published minus rows rejected", async () => {
    const db = new pg.Client({ connectionString: loop.infra.databaseUrl });
    await db.connect();
    try {
      const offline = `"${serviceSchema(loop.namespace, "feature-store")}"."offline_${DATASET}"`;
      const stored = Number((await db.query(`select count(*)::int as n from ${offline}`)).rows[0].n);
      const quarantined = Number(
        (
          await db.query(
            `select count(*)::int as n from "${serviceSchema(loop.namespace, "validation")}".quarantined_rows`,
          )
        ).rows[0].n,
      );
      const rejected = loop
        .seen("data.rejected")
        .reduce((sum, event) => sum + (event.data as { rowCount: number }).rowCount, 0);
      const published = [...seattle, ...newYork].reduce((sum, batch) => sum + batch.rows.length, 0);
      assert.equal(published, 2922);
      assert.equal(stored, published - rejected - quarantined);
    } finally {
      await db.end();
    }
  });
});
