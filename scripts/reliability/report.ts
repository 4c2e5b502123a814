/** The fault test's figures, the verdict over them, and the table people read. */
import type { MemoryFigures } from "./soak.ts";
import type { Crash } from "./stack.ts";

export interface FaultRecord {
  fault: string;
  /** Seconds after the stream started. */
  atSeconds: number;
  /** From the fault to the service (or server) taking work again. */
  downMs: number;
  how: string;
}

export interface ReliabilityReport {
  faultsInjected: number;
  faults: FaultRecord[];
  rowsSent: number;
  rowsStored: number;
  duplicates: number;
  lost: number;
  /** Rows in the store that were never sent. */
  unexpectedRows: number;
  dlqCount: number;
  dlq: { service: string; kind: string; reason: string }[];
  failedRequests: number;
  crashes: number;
  crashed: Omit<Crash, "output">[];
  pendingMessages: number;
  consumers: { durable: string; pending: number; ackPending: number; redelivered: number }[];
  producer: { batches: number; retries: number; duplicateAcks: number };
  loop: {
    trainedAfterFaults: number;
    promotedAfterFaults: number;
    /** "policy" when the registry promoted a post-fault model by itself; null when none was promoted. */
    promotedBy: "policy" | "operator" | null;
    /** Post-fault candidates the policy kept out, with its reason. */
    rejectedAfterFaults?: string[];
    /** The version serving answered with once the loop settled, and the registry's latest champion then. */
    servedVersion: string | null;
    champion?: string | null;
  };
  /** Log events over every service process that show redeliveries handled idempotently and outages ridden out. */
  repeats?: Record<string, number>;
  soak: {
    maxQps: number;
    targetQps: number;
    seconds: number;
    requests: number;
    failed: number;
    p99Ms: number;
    rssStartMb: number;
    rssEndMb: number;
    rssGrowth: number;
    /** RSS every 5 s of the soak. */
    rssSeriesMb?: number[];
    memory?: { start: MemoryFigures; end: MemoryFigures } | null;
    promotion: string | null;
    /**
     * Serving answered with the version promoted during the soak, or with a champion the loop promoted after it (a
     * training that finished during the soak), and ended on the registry's champion.
     */
    promotionServed?: boolean;
    servedVersions?: { version: string; atSeconds: number }[];
  } | null;
  durationsMs: { setup: number; stream: number; drain: number; soak: number; total: number };
  /** What failed; empty when every promise held. */
  problems: string[];
}

/** Every reason the run fails, in words; the run passes when there are none. */
export function verdict(report: Omit<ReliabilityReport, "problems">): string[] {
  const problems: string[] = [];
  if (report.lost > 0) problems.push(`${report.lost} rows lost`);
  if (report.duplicates > 0) problems.push(`${report.duplicates} duplicate rows`);
  if (report.unexpectedRows > 0) problems.push(`${report.unexpectedRows} rows stored that were never sent`);
  if (report.rowsStored !== report.rowsSent) {
    problems.push(`${report.rowsStored} rows stored of ${report.rowsSent} sent`);
  }
  if (report.crashes > 0) {
    problems.push(
      `${report.crashes} crash${report.crashes === 1 ? "" : "es"}: ${report.crashed.map((c) => c.service).join(", ")}`,
    );
  }
  if (report.dlqCount > 0) problems.push(`${report.dlqCount} dead letters`);
  if (report.pendingMessages > 0) problems.push(`${report.pendingMessages} messages pending or unacknowledged`);
  if (report.loop.promotedAfterFaults === 0) problems.push("no model trained after the faults was promoted");
  else if (report.loop.servedVersion === null) problems.push("serving did not answer with the champion");
  if (report.soak === null) problems.push("the serving soak did not run");
  else {
    if (report.soak.failed > 0) problems.push(`${report.soak.failed} failed requests`);
    if (!(report.soak.rssGrowth < 0.1)) {
      problems.push(`serving RSS grew ${(report.soak.rssGrowth * 100).toFixed(1)}% (limit 10%)`);
    }
    if (report.soak.promotion === null) problems.push("no promotion during the soak");
    else if (report.soak.promotionServed === false) {
      problems.push(`serving did not follow the promotion during the soak (${report.soak.promotion})`);
    }
  }
  return problems;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** A two-column table of the figures, then the faults one per line. */
export function reportTable(report: ReliabilityReport): string {
  const rows: [string, string][] = [
    ["faults injected", `${report.faultsInjected}`],
    [
      "rows sent",
      `${report.rowsSent} (${report.producer.batches} batches, ${report.producer.retries} publish retries)`,
    ],
    ["rows stored", `${report.rowsStored}`],
    ["duplicates", `${report.duplicates}`],
    ["lost", `${report.lost}`],
    ["DLQ count", `${report.dlqCount}`],
    ["failed requests", `${report.failedRequests}`],
    ["crashes", `${report.crashes}`],
    ["pending messages", `${report.pendingMessages} over ${report.consumers.length} consumers`],
    [
      "loop after faults",
      `${report.loop.trainedAfterFaults} trained, ${report.loop.promotedAfterFaults} promoted` +
        `${report.loop.promotedBy ? ` (by ${report.loop.promotedBy})` : ""}, serving v${report.loop.servedVersion ?? "-"}`,
    ],
  ];
  if (report.repeats) {
    const seen = Object.entries(report.repeats).filter(([, count]) => count > 0);
    rows.push(["redelivery evidence", seen.map(([event, count]) => `${event} ${count}`).join(", ") || "none"]);
  }
  if (report.soak) {
    const soak = report.soak;
    rows.push(
      [
        "serving soak",
        `${soak.requests} requests at ${soak.targetQps} QPS (80% of max ${soak.maxQps}) for ${soak.seconds}s, p99 ${soak.p99Ms} ms`,
      ],
      [
        "serving RSS",
        `${soak.rssStartMb} MiB after warm-up → ${soak.rssEndMb} MiB (${(soak.rssGrowth * 100).toFixed(1)}%)`,
      ],
      ["promotion in soak", soak.promotion ?? "-"],
    );
  }
  const d = report.durationsMs;
  rows.push([
    "durations",
    `setup ${seconds(d.setup)}, stream ${seconds(d.stream)}, drain ${seconds(d.drain)}, soak ${seconds(d.soak)}, total ${seconds(d.total)}`,
  ]);
  const width = Math.max(...rows.map(([name]) => name.length));
  const lines = rows.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`);
  lines.push("", "  faults:");
  for (const fault of report.faults) {
    lines.push(
      `    t+${fault.atSeconds}s  ${fault.fault.padEnd(24)} ${fault.how}; working again after ${seconds(fault.downMs)}`,
    );
  }
  for (const letter of report.dlq.slice(0, 10)) lines.push(`  DLQ ${letter.service} ${letter.kind}: ${letter.reason}`);
  for (const crash of report.crashed)
    lines.push(`  CRASH ${crash.service} at ${crash.at}: code ${crash.code} signal ${crash.signal}`);
  lines.push("", report.problems.length === 0 ? "OK: every promise held." : `FAILED: ${report.problems.join("; ")}`);
  return lines.join("\n");
}
