/**
 * `npm run bench -- serving [--json] [seconds=5] [trace=0.01]`: ModelInfer on a real serving process (one seattle-weather model
 * trained here, registered through the registry, loaded from S3) against a bare grpc-js echo server that decodes the
 * same request and answers with the same response bytes — the transport ceiling. A @grpc/grpc-js client measures
 * p50/p99 latency at concurrency 1 and QPS at concurrency 32, for 1-row and 64-row requests (FP32 [N, 7] matrix).
 * Serving runs as deployed (telemetry on, 10% of requests logged to predictions.logged); rssMb is its resident
 * memory after the run. `trace=<ratio>` samples that share of traces instead of all of them.
 * Then the same from outside: ghz (bench/support/ghz.ts, a Go process of its own) drives serving and the echo server
 * with the same requests: `ghz` holds its figures, and `ghzC32Ratio` (serving QPS ÷ echo QPS at c=32, 1 row),
 * `ghzC1P50Ratio` and `ghzC1P99Ratio` (serving ÷ echo latency at c=1, 1 row) compare them; `rows64.ghzC32Ratio` the
 * same for 64 rows. `ghz=0` leaves ghz out.
 */

import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import * as grpc from "@grpc/grpc-js";
import type { InferenceClient, InferenceHandlers, ModelInferRequest, ModelInferResponse } from "@gyre/grpc";
import { createGrpcServer, listen, loadProto } from "@gyre/grpc";
import type { FeatureRow } from "@gyre/model";
import { infer, inferenceClient, metricValue, ServingHarness, scrape } from "../services/serving/test/harness.ts";
import { seattleWeatherRows, seattleWeatherSpec } from "../services/trainer/test/seattle-weather.ts";
import type { BenchOptions, BenchResult } from "./run.ts";
import { type GhzFigures, ghz, ghzBinary } from "./support/ghz.ts";

const INPUTS = ["precipitation", "temp_max", "temp_min", "wind", "month", "temp_max_lag1", "precipitation_mean_7"];
const C1_REQUESTS = 3000;
const WARMUP = 300;
const C32_GHZ_CALLS = 10_000;

function matrixRequest(rows: readonly FeatureRow[]): ModelInferRequest {
  return {
    model_name: "seattle-weather",
    inputs: [
      {
        name: "input",
        datatype: "FP32",
        shape: [rows.length, INPUTS.length],
        contents: { fp32_contents: rows.flatMap((row) => INPUTS.map((name) => row[name] as number)) },
      },
    ],
  };
}

interface Latency {
  p50: number;
  p99: number;
}

async function latencyAtOne(client: InferenceClient, request: ModelInferRequest): Promise<Latency> {
  for (let i = 0; i < WARMUP; i++) await infer(client, request);
  const times: number[] = [];
  for (let i = 0; i < C1_REQUESTS; i++) {
    const started = performance.now();
    await infer(client, request);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] as number;
  return { p50: at(0.5), p99: at(0.99) };
}

async function qpsAt(
  client: InferenceClient,
  request: ModelInferRequest,
  concurrency: number,
  seconds: number,
): Promise<number> {
  const warmupUntil = performance.now() + 500;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < warmupUntil) await infer(client, request);
    }),
  );
  let answered = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        await infer(client, request);
        answered += 1;
      }
    }),
  );
  return answered / ((performance.now() - started) / 1000);
}

/** The echo server as its own process (this file, run with GYRE_SERVING_ECHO set), so it does not share the client's loop. */
async function startEcho(responses: Record<number, ModelInferResponse>): Promise<{ port: number; stop(): void }> {
  const child = spawn(process.execPath, ["--import", "tsx", new URL(import.meta.url).pathname], {
    env: {
      ...process.env,
      GYRE_SERVING_ECHO: JSON.stringify(responses, (_key, value) =>
        value?.type === "Buffer" ? { b64: Buffer.from(value.data).toString("base64") } : value,
      ),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`echo server exited with ${code}`)));
  });
  return { port: Number(line), stop: () => child.kill("SIGTERM") };
}

async function serveEcho(payload: string): Promise<void> {
  const responses = JSON.parse(payload, (_key, value) =>
    value && typeof value.b64 === "string" ? Buffer.from(value.b64, "base64") : value,
  ) as Record<string, ModelInferResponse>;
  const server = createGrpcServer();
  const handlers: Partial<InferenceHandlers> = {
    ModelInfer: (call, callback) => callback(null, responses[String(call.request.inputs[0]?.shape[0])]),
  };
  server.server.addService(
    loadProto("inference/grpc_predict_v2.proto").inference.GRPCInferenceService.service,
    handlers as InferenceHandlers,
  );
  const port = await listen(server.server, "127.0.0.1", 0);
  process.stdout.write(`${port}\n`);
}

if (process.env.GYRE_SERVING_ECHO) await serveEcho(process.env.GYRE_SERVING_ECHO);

export async function run(options: BenchOptions): Promise<BenchResult> {
  const argument = (name: string) => options.args.find((arg) => arg.startsWith(`${name}=`))?.split("=")[1];
  const seconds = Number(argument("seconds") ?? 5);
  // trace=0.01 samples 1% of traces (parentbased_traceidratio) instead of tracing every call.
  const traceRatio = argument("trace");
  const harness = new ServingHarness();
  let echo: { port: number; stop(): void } | undefined;
  try {
    await harness.start([seattleWeatherSpec()]);
    await harness.trainAndRegister(seattleWeatherSpec(), seattleWeatherRows(), { seed: 1, outcome: "promoted" });
    const serving = await harness.startServing(
      traceRatio === undefined
        ? {}
        : { OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: traceRatio },
    );
    const all = seattleWeatherRows();
    const requests = { 1: matrixRequest(all.slice(300, 301)), 64: matrixRequest(all.slice(300, 364)) };
    const responses: Record<number, ModelInferResponse> = {};
    for (const [rows, request] of Object.entries(requests)) {
      const answer = await infer(serving.client, request);
      responses[Number(rows)] = { ...answer, outputs: answer.outputs, raw_output_contents: answer.raw_output_contents };
    }
    echo = await startEcho(responses);
    const echoClient = inferenceClient(`127.0.0.1:${echo.port}`, grpc.credentials.createInsecure());
    harness.clients.push(echoClient);

    const rows: BenchResult["rows"] = [];
    const figures: Record<string, number> = {};
    for (const size of [1, 64] as const) {
      const request = requests[size];
      const servingLatency = await latencyAtOne(serving.client, request);
      const echoLatency = await latencyAtOne(echoClient, request);
      const servingQps = await qpsAt(serving.client, request, 32, seconds);
      const echoQps = await qpsAt(echoClient, request, 32, seconds);
      rows.push(
        {
          target: "serving",
          rows: size,
          c1P50Ms: round(servingLatency.p50),
          c1P99Ms: round(servingLatency.p99),
          c32Qps: Math.round(servingQps),
        },
        {
          target: "echo",
          rows: size,
          c1P50Ms: round(echoLatency.p50),
          c1P99Ms: round(echoLatency.p99),
          c32Qps: Math.round(echoQps),
        },
      );
      const suffix = size === 1 ? "" : "Rows64";
      figures[`c1P50Ms${suffix}`] = round(servingLatency.p50);
      figures[`c1P99Ms${suffix}`] = round(servingLatency.p99);
      figures[`c32Qps${suffix}`] = Math.round(servingQps);
      figures[`echoC32Qps${suffix}`] = Math.round(echoQps);
      figures[`echoC1P99Ms${suffix}`] = round(echoLatency.p99);
    }
    const outside = argument("ghz") === "0" ? undefined : await measureWithGhz(serving.port, echo.port, requests);
    if (outside) {
      for (const [size, figures] of Object.entries(outside)) {
        rows.push(
          { target: "serving (ghz)", rows: Number(size), ...ghzRow(figures.serving) },
          { target: "echo (ghz)", rows: Number(size), ...ghzRow(figures.echo) },
        );
      }
    }
    const metrics = await scrape(serving.metricsPort);
    const rssMb = Math.round(metricValue(metrics, "process_resident_memory_bytes") / 2 ** 20);
    const ratio = round((figures.c32Qps ?? 0) / (figures.echoC32Qps ?? 1));
    return {
      rows,
      summary: {
        c1P50Ms: figures.c1P50Ms,
        c1P99Ms: figures.c1P99Ms,
        c32Qps: figures.c32Qps,
        echoC32Qps: figures.echoC32Qps,
        ratio,
        rssMb,
        rows64: {
          c1P50Ms: figures.c1P50MsRows64,
          c1P99Ms: figures.c1P99MsRows64,
          c32Qps: figures.c32QpsRows64,
          echoC32Qps: figures.echoC32QpsRows64,
          ratio: round((figures.c32QpsRows64 ?? 0) / (figures.echoC32QpsRows64 ?? 1)),
          ...(outside && { ghzC32Ratio: round(outside[64].serving.c32.qps / outside[64].echo.c32.qps) }),
        },
        ...(outside && {
          ghzC32Ratio: round(outside[1].serving.c32.qps / outside[1].echo.c32.qps),
          ghzC1P50Ratio: round(outside[1].serving.c1.p50Ms / outside[1].echo.c1.p50Ms),
          ghzC1P99Ratio: round(outside[1].serving.c1.p99Ms / outside[1].echo.c1.p99Ms),
          ghz: outside,
          ghzTargets: { ghzC32Ratio: 0.8, ghzC1P50Ratio: 1.3, ghzC1P99Ratio: 1.5, rows64Ratio: 0.8 },
        }),
        echoC1P99Ms: figures.echoC1P99Ms,
        traceSampling: traceRatio === undefined ? "every call" : `parentbased_traceidratio ${traceRatio}`,
        targets: { c1P99Ms: 1.03, ratio: 0.6, rssMb: 300 },
      },
    };
  } finally {
    echo?.stop();
    await harness.cleanup();
  }
}

interface GhzTarget {
  c1: GhzFigures;
  c32: GhzFigures;
}

/** ghz at c=1 (latency, C1_REQUESTS calls) and c=32 (QPS, C32_GHZ_CALLS calls) against serving, then echo. */
async function measureWithGhz(
  servingPort: number,
  echoPort: number,
  requests: Record<1 | 64, ModelInferRequest>,
): Promise<Record<1 | 64, { serving: GhzTarget; echo: GhzTarget }>> {
  const binary = await ghzBinary();
  const measure = async (port: number, request: ModelInferRequest): Promise<GhzTarget> => {
    const address = `127.0.0.1:${port}`;
    await ghz(binary, address, request, { concurrency: 32, total: WARMUP * 10 });
    return {
      c1: await ghz(binary, address, request, { concurrency: 1, total: C1_REQUESTS }),
      // A fixed count, not --duration: at its deadline ghz closes the connection under calls still in flight.
      c32: await ghz(binary, address, request, { concurrency: 32, total: C32_GHZ_CALLS }),
    };
  };
  const result: Partial<Record<1 | 64, { serving: GhzTarget; echo: GhzTarget }>> = {};
  for (const size of [1, 64] as const) {
    result[size] = {
      serving: await measure(servingPort, requests[size]),
      echo: await measure(echoPort, requests[size]),
    };
  }
  return result as Record<1 | 64, { serving: GhzTarget; echo: GhzTarget }>;
}

function ghzRow(target: GhzTarget): Record<string, number> {
  return { c1P50Ms: round(target.c1.p50Ms), c1P99Ms: round(target.c1.p99Ms), c32Qps: Math.round(target.c32.qps) };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
