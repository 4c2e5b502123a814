/**
 * ghz (github.com/bojand/ghz), the gRPC load generator in Go, for `bench serving`: built once from the Go module
 * proxy at the version pinned in deploy/local/versions.env (GHZ_VERSION), cached like deploy/local's servers in
 * ~/.cache/gyre/bin, and run as a process of its own, so the load does not share an event loop with what it measures.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "@gyre/service";

const run = promisify(execFile);

function pinnedVersion(): string {
  const versions = readFileSync(join(REPO_ROOT, "deploy/local/versions.env"), "utf8");
  const version = /^GHZ_VERSION=(\S+)$/m.exec(versions)?.[1];
  if (!version) throw new Error("deploy/local/versions.env has no GHZ_VERSION");
  return version;
}

/** The cached ghz binary, built first if this machine has none of the pinned version. */
export async function ghzBinary(): Promise<string> {
  const version = pinnedVersion();
  const cache = join(
    process.env.GYRE_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "gyre"),
    "bin",
  );
  const binary = join(cache, `ghz-${version}`);
  if (existsSync(binary)) return binary;
  mkdirSync(cache, { recursive: true });
  const gobin = mkdtempSync(join(tmpdir(), "ghz-"));
  process.stderr.write(`building ghz ${version} (first run on this machine; cached in ${cache})\n`);
  try {
    await run("go", ["install", "-trimpath", `github.com/bojand/ghz/cmd/ghz@${version}`], {
      env: { ...process.env, GOBIN: gobin },
      maxBuffer: 16 * 1024 * 1024,
    });
    renameSync(join(gobin, "ghz"), binary);
  } finally {
    rmSync(gobin, { recursive: true, force: true });
  }
  return binary;
}

export interface GhzFigures {
  qps: number;
  p50Ms: number;
  p99Ms: number;
  count: number;
}

interface GhzReport {
  count: number;
  rps: number;
  latencyDistribution: { percentage: number; latency: number }[] | null;
  statusCodeDistribution: Record<string, number>;
  errorDistribution?: Record<string, number> | null;
}

/**
 * One ghz run of ModelInfer against `address`: `concurrency` workers on one connection, either `total` requests or
 * for `seconds`. Fails when any call did not answer OK (ghz reports them but exits 0).
 */
export async function ghz(
  binary: string,
  address: string,
  request: unknown,
  load: { concurrency: number; total?: number; seconds?: number },
): Promise<GhzFigures> {
  const args = [
    "--insecure",
    "--proto",
    join(REPO_ROOT, "proto/inference/grpc_predict_v2.proto"),
    "--import-paths",
    join(REPO_ROOT, "proto"),
    "--call",
    "inference.GRPCInferenceService/ModelInfer",
    "--data",
    JSON.stringify(request),
    "--concurrency",
    String(load.concurrency),
    "--connections",
    "1",
    ...(load.seconds === undefined ? ["--total", String(load.total ?? 1000)] : ["--duration", `${load.seconds}s`]),
    "--format",
    "json",
    address,
  ];
  const { stdout } = await run(binary, args, { maxBuffer: 64 * 1024 * 1024 });
  const report = JSON.parse(stdout) as GhzReport;
  const ok = report.statusCodeDistribution.OK ?? 0;
  if (ok !== report.count || report.count === 0) {
    throw new Error(
      `ghz against ${address}: ${ok} of ${report.count} calls answered OK: ${JSON.stringify(report.errorDistribution)}`,
    );
  }
  const at = (percentage: number) =>
    (report.latencyDistribution?.find((entry) => entry.percentage === percentage)?.latency ?? Number.NaN) / 1e6;
  return { qps: report.rps, p50Ms: at(50), p99Ms: at(99), count: report.count };
}
