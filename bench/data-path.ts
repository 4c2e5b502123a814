/**
 * `npm run bench -- data-path [rowsPerBatch] [--json]`: 200,000 rows of a 10-feature numeric dataset, in batches of
 * 1,000 rows (or `rowsPerBatch`: 5000 makes 40 batches of 5,000), go through
 * ingestion → validation → feature-store; rows/s from the first publish to the last `features.updated`.
 * In the same run, for the same payloads: the raw JetStream rate (publish, then consume with no processing) and a
 * plain PostgreSQL COPY of the same rows — the two ceilings the data path sits under.
 * `npm run bench -- data-path parquet` (or `csv.gz`) sends the same batches as Parquet files (hyparquet-writer) or
 * gzip CSV, inline in base64; the floors stay the CSV ones, so the ratios compare the formats.
 */

import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { gzipSync } from "node:zlib";
import { connectBus, deleteStreams } from "@gyre/bus";
import { type DataArrived, newEvent } from "@gyre/contracts";
import { uniqueId } from "@gyre/testkit";
import { parquetWriteBuffer } from "hyparquet-writer";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { startLoop } from "../e2e/harness.ts";
import type { BenchOptions, BenchResult } from "./run.ts";

const TOTAL_ROWS = 200_000;
const FEATURES = 10;
const DATASET = "bench-numeric";

function syntheticBatches(batchCount: number, rowsPerBatch: number): string[] {
  let seed = 7;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const header = ["ts", ...Array.from({ length: FEATURES }, (_, i) => `f${i}`), "label"].join(",");
  const start = Date.parse("2024-01-01T00:00:00Z");
  return Array.from({ length: batchCount }, (_, batch) => {
    const lines = [header];
    for (let row = 0; row < rowsPerBatch; row++) {
      const ts = new Date(start + (batch * rowsPerBatch + row) * 60_000).toISOString();
      const values = Array.from({ length: FEATURES }, () => (random() * 100).toFixed(3));
      lines.push([ts, ...values, random() < 0.5 ? "a" : "b"].join(","));
    }
    return lines.join("\n");
  });
}

const spec = {
  name: DATASET,
  eventTime: "ts",
  features: [
    { name: "ts", type: "timestamp" as const },
    ...Array.from({ length: FEATURES }, (_, i) => ({ name: `f${i}`, type: "numeric" as const, min: 0, max: 100 })),
  ],
  label: { name: "label", type: "categorical" as const, classes: ["a", "b"] },
  training: { retrainEveryRows: 0, onDrift: false },
  model: { kind: "logistic" as const },
  promotion: { metric: "accuracy" as const },
};

const SERVICES = ["ingestion", "validation", "feature-store"] as const;

const FORMATS = ["csv", "csv.gz", "parquet"] as const;
type BenchFormat = (typeof FORMATS)[number];

/** A CSV batch as the same rows in Parquet: ts a TIMESTAMP, the features DOUBLE, the label a STRING. */
function parquetOf(csv: string): Buffer {
  const [header = "", ...lines] = csv.split("\n");
  const rows = lines.map((line) => line.split(","));
  const columnData = header.split(",").map((name, i) => {
    if (name === "ts") return { name, data: rows.map((row) => new Date(row[i] ?? "")), type: "TIMESTAMP" as const };
    if (name === "label") return { name, data: rows.map((row) => row[i] ?? ""), type: "STRING" as const };
    return { name, data: rows.map((row) => Number(row[i])), type: "DOUBLE" as const };
  });
  return Buffer.from(parquetWriteBuffer({ columnData }));
}

/** The data.arrived of batch i in the format benchmarked. */
function arrival(csv: string, i: number, format: BenchFormat): DataArrived {
  const batchKey = `b${i}`;
  if (format === "csv") return { dataset: DATASET, batchKey, format: "csv", rows: csv };
  if (format === "csv.gz") {
    return {
      dataset: DATASET,
      batchKey,
      format: "csv",
      compression: "gzip",
      rowsBase64: gzipSync(csv).toString("base64"),
    };
  }
  return { dataset: DATASET, batchKey, format: "parquet", rowsBase64: parquetOf(csv).toString("base64") };
}

/** CPU time (user + system) a process has used so far, in ms; undefined where /proc cannot tell (not Linux). */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // fields after the command name, which is in parentheses and may hold spaces: utime and stime are 12th and 13th
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** The inodes of the sockets a process holds open. */
function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
      if (inode) inodes.add(inode);
    } catch {
      // closed since the listing
    }
  }
  return inodes;
}

/** Local TCP ports by socket inode, from /proc/net/tcp and tcp6. */
function tcpPortsByInode(): Map<string, number> {
  const ports = new Map<string, number>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      const port = (fields[1] ?? "").split(":")[1];
      if (port !== undefined && fields[9] !== undefined) ports.set(fields[9], Number.parseInt(port, 16));
    }
  }
  return ports;
}

/**
 * CPU used so far by the PostgreSQL backends serving each of the given processes (PostgreSQL on this host,
 * Linux), by backend pid: the processes' client ports found in /proc, the backends by pg_stat_activity.client_port.
 * Empty maps where /proc cannot tell.
 */
async function backendCpuMs(
  databaseUrl: string,
  pids: readonly (number | undefined)[],
): Promise<Map<number, number>[]> {
  const cpu = pids.map(() => new Map<number, number>());
  let ports: number[][];
  try {
    const portOf = tcpPortsByInode();
    ports = pids.map((pid) =>
      pid === undefined ? [] : [...socketInodes(pid)].flatMap((inode) => portOf.get(inode) ?? []),
    );
  } catch {
    return cpu;
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number; client_port: number }>(
      "SELECT pid, client_port FROM pg_stat_activity WHERE client_port = ANY($1::int[])",
      [ports.flat()],
    );
    for (const row of rows) {
      const ms = processCpuMs(row.pid);
      const owner = ports.findIndex((own) => own.includes(row.client_port));
      if (ms !== undefined && owner >= 0) cpu[owner]?.set(row.pid, ms);
    }
  } finally {
    await client.end();
  }
  return cpu;
}

interface GyreRun {
  rowsPerSec: number;
  /**
   * CPU spent per batch while the batches ran: by each service process, by this one (publishing and observing),
   * and by the PostgreSQL backends serving each service (null where /proc cannot tell: not Linux, remote server).
   */
  cpuMsPerBatch: Record<string, number | null>;
}

async function gyreRun(batches: string[], format: BenchFormat): Promise<GyreRun> {
  // encoded before the clock starts: the producer's work is not the data path's
  const arrivals = batches.map((csv, i) => arrival(csv, i, format));
  const loop = await startLoop(SERVICES, {}, ["features.updated"]);
  try {
    await loop.specs.apply(spec);
    const pids = SERVICES.map((name) => loop.services.get(name)?.process.pid);
    const cpuBefore = pids.map(processCpuMs);
    const readBackends = () => backendCpuMs(loop.infra.databaseUrl, pids);
    const backendsBefore = await readBackends();
    // the last reading of each backend, read every 3 s: a pool may close a connection idle for 10 s before the end
    const backendsAfter = backendsBefore.map((readings) => new Map(readings));
    const readBackendsAgain = async () => {
      (await readBackends()).forEach((readings, i) => {
        for (const [pid, ms] of readings) backendsAfter[i]?.set(pid, ms);
      });
    };
    const backendTimer = setInterval(() => void readBackendsAgain().catch(() => undefined), 3000);
    const ownBefore = process.cpuUsage();
    const started = performance.now();
    await Promise.all(arrivals.map((data) => loop.bus.publish(newEvent("data.arrived", "bench", data), DATASET)));
    await loop.waitFor("features.updated", batches.length, 600_000);
    const seconds = (performance.now() - started) / 1000;
    const own = process.cpuUsage(ownBefore);
    clearInterval(backendTimer);
    await readBackendsAgain();
    const perBatch = (ms: number | undefined) =>
      ms === undefined ? null : Math.round((ms / batches.length) * 10) / 10;
    const cpuMsPerBatch: Record<string, number | null> = {};
    SERVICES.forEach((name, i) => {
      const before = cpuBefore[i];
      const after = processCpuMs(pids[i]);
      cpuMsPerBatch[name] = perBatch(before === undefined || after === undefined ? undefined : after - before);
    });
    cpuMsPerBatch.bench = perBatch((own.user + own.system) / 1000);
    // backends opened during the run count from their start; one closed counts up to its last reading
    SERVICES.forEach((name, i) => {
      const after = backendsAfter[i] ?? new Map<number, number>();
      let backendMs = 0;
      for (const [pid, ms] of after) backendMs += ms - (backendsBefore[i]?.get(pid) ?? 0);
      cpuMsPerBatch[`postgres for ${name}`] = after.size === 0 ? null : perBatch(backendMs);
    });
    return { rowsPerSec: TOTAL_ROWS / seconds, cpuMsPerBatch };
  } finally {
    await loop.close();
  }
}

async function rawBusRowsPerSec(batches: string[], natsUrl: string): Promise<number> {
  const namespace = uniqueId("b");
  const bus = await connectBus({ servers: natsUrl, namespace, name: `bench-${namespace}` });
  try {
    let received = 0;
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const started = performance.now();
    await Promise.all(
      batches.map((csv, i) =>
        bus.publish(
          newEvent("data.arrived", "bench", { dataset: DATASET, batchKey: `b${i}`, format: "csv", rows: csv }),
          DATASET,
        ),
      ),
    );
    const consumer = await bus.consume({
      service: "bench",
      events: ["data.arrived"],
      concurrency: 16,
      handler: () => {
        received += 1;
        if (received === batches.length) finish();
      },
    });
    await done;
    const seconds = (performance.now() - started) / 1000;
    await consumer.stop();
    return TOTAL_ROWS / seconds;
  } finally {
    await deleteStreams(bus).catch(() => undefined);
    await bus.close();
  }
}

async function pgCopyRowsPerSec(batches: string[], databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const schema = uniqueId("bench_");
  try {
    await client.query(`create schema ${schema}`);
    const columns = Array.from({ length: FEATURES }, (_, i) => `f${i} double precision`).join(", ");
    await client.query(`create table ${schema}.rows (ts timestamptz, ${columns}, label text)`);
    const started = performance.now();
    for (const csv of batches) {
      const body = csv.slice(csv.indexOf("\n") + 1);
      await pipeline(Readable.from([body]), client.query(copyFrom(`copy ${schema}.rows from stdin with (format csv)`)));
    }
    return TOTAL_ROWS / ((performance.now() - started) / 1000);
  } finally {
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  }
}

export async function run(options: BenchOptions): Promise<BenchResult> {
  const format = (options.args.find((arg) => !/^\d+$/.test(arg)) ?? "csv") as BenchFormat;
  if (!FORMATS.includes(format)) throw new Error(`data-path: format "${format}" is not one of ${FORMATS.join(", ")}`);
  const rowsArg = options.args.find((arg) => /^\d+$/.test(arg));
  const rowsPerBatch = Number(rowsArg ?? 1000);
  if (!Number.isInteger(rowsPerBatch) || rowsPerBatch <= 0 || TOTAL_ROWS % rowsPerBatch !== 0) {
    throw new Error(`rows per batch ${JSON.stringify(rowsArg)}: expected a divisor of ${TOTAL_ROWS}`);
  }
  const natsUrl = process.env.NATS_URL ?? "nats://127.0.0.1:4222";
  const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/gyre";
  const batches = syntheticBatches(TOTAL_ROWS / rowsPerBatch, rowsPerBatch);
  const pgCopy = await pgCopyRowsPerSec(batches, databaseUrl);
  const rawBus = await rawBusRowsPerSec(batches, natsUrl);
  const gyre = await gyreRun(batches, format);
  const round = (value: number) => Math.round(value);
  return {
    rows: [
      {
        measure: `gyre data path, ${format} batches (data.arrived → features.updated)`,
        rowsPerSec: round(gyre.rowsPerSec),
      },
      { measure: "raw JetStream publish + consume", rowsPerSec: round(rawBus) },
      { measure: "PostgreSQL COPY", rowsPerSec: round(pgCopy) },
    ],
    summary: {
      format,
      batches: batches.length,
      rowsPerBatch,
      rowsPerSec: round(gyre.rowsPerSec),
      rawBusRowsPerSec: round(rawBus),
      pgCopyRowsPerSec: round(pgCopy),
      /** the data path's rate as a share of the PostgreSQL COPY floor measured in the same run */
      ratioToPgCopy: Math.round((gyre.rowsPerSec / pgCopy) * 1000) / 1000,
      cpuMsPerBatch: gyre.cpuMsPerBatch,
    },
  };
}
