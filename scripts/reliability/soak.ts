/**
 * Serving under load while the champion changes: the closed-loop maximum QPS is measured first, then an open-loop
 * load at a share of it runs for a fixed time with a promotion in the middle. Every request that does not come
 * back OK is a failed request. Serving's resident memory is read from /proc after the warm-up and at the end.
 */
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import * as grpc from "@grpc/grpc-js";
import type { ModelInferRequest } from "@gyre/grpc";
import { infer, inferenceClient } from "../../services/serving/test/harness.ts";

export interface SoakFigures {
  maxQps: number;
  targetQps: number;
  seconds: number;
  requests: number;
  failed: number;
  /** Failures by gRPC status name (or error name). */
  failures: Record<string, number>;
  p99Ms: number;
  rssStartMb: number;
  rssEndMb: number;
  rssGrowth: number;
  /** Serving's RSS (MiB) every 5 s of the soak, and heap / external memory (MiB) after the warm-up and at the end. */
  rssSeries: number[];
  memory: { start: MemoryFigures; end: MemoryFigures } | null;
  /** Each change of the version serving answered with, in seconds from the end of the warm-up. */
  servedVersions: { version: string; atSeconds: number }[];
  promotion: { atSeconds: number; fromVersion: string; toVersion: string; servedAfterMs: number | null } | null;
}

export interface MemoryFigures {
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
}

/** Heap and external memory from the service's Prometheus metrics (prom-client's default process metrics). */
async function memoryOf(metricsPort: number): Promise<MemoryFigures | null> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const value = (name: string) => {
      const line = text.split("\n").find((entry) => entry.startsWith(`${name} `) || entry.startsWith(`${name}{`));
      return line ? Math.round((Number(line.slice(line.lastIndexOf(" ") + 1)) / 2 ** 20) * 10) / 10 : Number.NaN;
    };
    return {
      heapUsedMb: value("nodejs_heap_size_used_bytes"),
      heapTotalMb: value("nodejs_heap_size_total_bytes"),
      externalMb: value("nodejs_external_memory_bytes"),
    };
  } catch {
    return null;
  }
}

/** Resident memory of a process in MiB, from /proc/<pid>/status. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match?.[1]) throw new Error(`/proc/${pid}/status has no VmRSS line`);
  return Number(match[1]) / 1024;
}

function failureName(err: unknown): string {
  const code = (err as grpc.ServiceError)?.code;
  if (typeof code === "number") return grpc.status[code] ?? String(code);
  return err instanceof Error ? err.name : typeof err;
}

/** Closed loop: `concurrency` callers back to back for `seconds` after a short warm-up. */
async function measureMaxQps(client: ReturnType<typeof inferenceClient>, request: ModelInferRequest, seconds: number) {
  const concurrency = 32;
  const run = async (until: number) => {
    let answered = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < until) {
          await infer(client, request);
          answered++;
        }
      }),
    );
    return answered;
  };
  await run(performance.now() + 1000);
  const started = performance.now();
  const answered = await run(started + seconds * 1000);
  return answered / ((performance.now() - started) / 1000);
}

export async function soak(options: {
  address: string;
  servingPid: () => number;
  metricsPort: number;
  request: ModelInferRequest;
  seconds: number;
  /** Seconds at the soak's rate before the start figures are taken (requests in it count as well). */
  warmupSeconds: number;
  share: number;
  maxQpsSeconds: number;
  /** Changes the champion; returns the version promoted. Called at half time. */
  promote(): Promise<{ from: string; to: string }>;
  onProgress?(line: string): void;
}): Promise<SoakFigures> {
  const client = inferenceClient(options.address);
  try {
    const maxQps = await measureMaxQps(client, options.request, options.maxQpsSeconds);
    const targetQps = Math.max(1, Math.floor(maxQps * options.share));
    options.onProgress?.(
      `max ${Math.round(maxQps)} QPS (closed loop, 32 callers); soak at ${targetQps} QPS, ${options.warmupSeconds}s warm-up then ${options.seconds}s`,
    );
    const failures: Record<string, number> = {};
    const latencies: number[] = [];
    const versions: { at: number; version: string }[] = [];
    let requests = 0;
    let failed = 0;
    const inFlight = new Set<Promise<void>>();
    const send = () => {
      requests++;
      const sent = performance.now();
      const call = infer(client, options.request, { deadline: Date.now() + 10_000 })
        .then((response) => {
          const now = performance.now();
          latencies.push(now - sent);
          const last = versions.at(-1);
          if (last?.version !== response.model_version) versions.push({ at: now, version: response.model_version });
        })
        .catch((err: unknown) => {
          failed++;
          const name = failureName(err);
          failures[name] = (failures[name] ?? 0) + 1;
        })
        .finally(() => inFlight.delete(call));
      inFlight.add(call);
    };

    const started = performance.now();
    // the warm-up runs at the soak's own rate, so the start figure is the working set at that load
    const warmedAt = started + options.warmupSeconds * 1000;
    const end = warmedAt + options.seconds * 1000;
    let rssStartMb = 0;
    let promotion: SoakFigures["promotion"] = null;
    let promoting: Promise<void> | undefined;
    let promotedAt = 0;
    let sentSoFar = 0;
    const rssSeries: number[] = [];
    let nextSample = warmedAt;
    let memoryStart: Promise<MemoryFigures | null> | undefined;
    while (performance.now() < end) {
      const now = performance.now();
      const due = Math.floor(((now - started) / 1000) * targetQps);
      while (sentSoFar < due) {
        send();
        sentSoFar++;
      }
      if (rssStartMb === 0 && now >= warmedAt) {
        rssStartMb = rssMb(options.servingPid());
        memoryStart = memoryOf(options.metricsPort);
      }
      if (now >= nextSample) {
        rssSeries.push(Math.round(rssMb(options.servingPid())));
        nextSample += 5000;
      }
      if (!promoting && now >= warmedAt + (options.seconds * 1000) / 2) {
        const at = (now - warmedAt) / 1000;
        const asked = performance.now();
        promoting = options.promote().then(({ from, to }) => {
          promotion = { atSeconds: Math.round(at), fromVersion: from, toVersion: to, servedAfterMs: null };
          promotedAt = asked;
        });
      }
      await sleep(5);
    }
    await Promise.all(inFlight);
    await promoting;
    const rssEndMb = rssMb(options.servingPid());
    rssSeries.push(Math.round(rssEndMb));
    const [memStart, memEnd] = [await memoryStart, await memoryOf(options.metricsPort)];
    const finalPromotion = promotion as SoakFigures["promotion"];
    if (finalPromotion) {
      const served = versions.find((entry) => entry.version === finalPromotion.toVersion && entry.at >= promotedAt);
      finalPromotion.servedAfterMs = served ? Math.round(served.at - promotedAt) : null;
    }
    latencies.sort((a, b) => a - b);
    const p99Ms = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? 0;
    const round = (value: number) => Math.round(value * 10) / 10;
    return {
      maxQps: Math.round(maxQps),
      targetQps,
      seconds: options.seconds,
      requests,
      failed,
      failures,
      p99Ms: round(p99Ms),
      rssStartMb: round(rssStartMb),
      rssEndMb: round(rssEndMb),
      rssGrowth: rssStartMb > 0 ? Math.round(((rssEndMb - rssStartMb) / rssStartMb) * 1000) / 1000 : Number.NaN,
      rssSeries,
      servedVersions: versions.map((entry) => ({
        version: entry.version,
        atSeconds: Math.round((entry.at - warmedAt) / 100) / 10,
      })),
      memory: memStart && memEnd ? { start: memStart, end: memEnd } : null,
      promotion,
    };
  } finally {
    client.close();
  }
}
