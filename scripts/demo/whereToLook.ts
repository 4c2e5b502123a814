import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, relative } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { loadProto, type MonitoringClient } from "@gyre/grpc";
import { DATASET } from "../demo.ts";
import type { LoopRecord } from "./loopRecord.ts";
import { DEFAULT_PORTS } from "./ports.ts";

interface JaegerTrace {
  traceID: string;
  spans: { processID: string }[];
  processes: Record<string, { serviceName: string }>;
}

export interface LoopTrace {
  traceId: string;
  services: string[];
  spans: number;
}

/**
 * The trace that reaches the most services among gyre-ingestion's traces of this namespace's `data.arrived`
 * (found by the span's messaging.destination.name tag). Spans are exported in batches, so it asks a few times.
 */
export async function findLoopTrace(
  jaegerUrl: string,
  namespace: string,
  dataset: string,
  since: number,
): Promise<LoopTrace | undefined> {
  const tags = JSON.stringify({ "messaging.destination.name": `${namespace}.data.arrived.${dataset}` });
  for (let attempt = 0; attempt < 5; attempt++) {
    const url =
      `${jaegerUrl}/api/traces?service=gyre-ingestion&tags=${encodeURIComponent(tags)}` +
      `&start=${since * 1000}&end=${Date.now() * 1000}&limit=100`;
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`Jaeger ${url}: HTTP ${response.status}`);
    const traces = ((await response.json()) as { data: JaegerTrace[] | null }).data ?? [];
    const ranked = traces
      .map((trace) => ({
        traceId: trace.traceID,
        services: [...new Set(Object.values(trace.processes).map((process) => process.serviceName))].sort(),
        spans: trace.spans.length,
      }))
      .sort((a, b) => b.services.length - a.services.length || b.spans - a.spans);
    if (ranked[0]) return ranked[0];
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  return undefined;
}

function unary<Response>(call: (callback: (err: grpc.ServiceError | null, value?: Response) => void) => void) {
  return new Promise<Response>((resolve, reject) =>
    call((err, value) => (err || value === undefined ? reject(err ?? new Error("empty response")) : resolve(value))),
  );
}

interface ReportedCheck {
  id: string;
  kind: string;
  status: string;
  report_key: string;
}

/**
 * Writes the latest drift report of the dataset (monitoring's GetDriftReport) to `file`; returns the drift check it
 * reports on, or undefined when there is none.
 */
export async function saveDriftReport(
  address: string,
  dataset: string,
  file: string,
): Promise<ReportedCheck | undefined> {
  const Monitoring = loadProto("monitoring/monitoring.proto").gyre.monitoring.v1.Monitoring;
  const client: MonitoringClient = new Monitoring(address, grpc.credentials.createInsecure());
  const deadline = () => ({ deadline: Date.now() + 15_000 });
  try {
    const { events } = await unary<{ events: ReportedCheck[] }>((callback) =>
      client.ListDriftEvents({ dataset, limit: 100, include_no_drift: false }, deadline(), callback),
    );
    const check = events.find((event) => event.report_key !== "");
    if (check === undefined) return undefined;
    const report = await unary<{ html: string }>((callback) =>
      client.GetDriftReport({ dataset, id: check.id }, deadline(), callback),
    );
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, report.html);
    return check;
  } finally {
    client.close();
  }
}

const shown = (path: string) => relative(process.cwd(), path) || ".";

/**
 * Where an operator looks next, as table rows: the loop's trace in Jaeger, the drift report (saved to a file),
 * the service logs, and `gyre` commands for this namespace.
 */
export async function whereToLook(options: {
  record: LoopRecord;
  namespace: string;
  jaegerUrl: string;
  since: number;
  driftReportFile: string;
  logDir: string;
  /** The services stop after the summary (`--exit`): the commands need a running stack. */
  stackStops: boolean;
}): Promise<[string, string][]> {
  const { record, namespace, jaegerUrl } = options;
  const rows: [string, string][] = [];
  const trace = await findLoopTrace(jaegerUrl, namespace, DATASET, options.since).catch((err: Error) => err);
  rows.push([
    "trace",
    trace instanceof Error || trace === undefined
      ? `not found in Jaeger (${trace instanceof Error ? trace.message : "no trace of gyre-ingestion yet"})`
      : `${jaegerUrl}/trace/${trace.traceId}  (${trace.spans} spans: ${trace.services.join(", ")})\n` +
        `${jaegerUrl}/api/traces/${trace.traceId}  (the JSON: deploy/local's Jaeger, built from source, has no UI)`,
  ]);
  if (record.drifts.length > 0) {
    const address = `127.0.0.1:${DEFAULT_PORTS.monitoring.grpc?.port}`;
    const saved = await saveDriftReport(address, DATASET, options.driftReportFile).catch((err: Error) => err);
    rows.push([
      "drift report",
      saved instanceof Error || saved === undefined
        ? `not saved (${saved instanceof Error ? saved.message : "monitoring has no report yet"})`
        : `${shown(options.driftReportFile)}  (${saved.kind} drift check ${saved.id}, ` +
          `${saved.status === "suppressed" ? "held back by the drift cooldown" : saved.status}; ` +
          `\`npx gyre drift report ${DATASET}\` saves it again)`,
    ]);
  }
  rows.push(["service logs", `${shown(options.logDir)}/<service>.log`]);
  const version = record.promotions.at(-1)?.version ?? 1;
  rows.push([
    "the CLI",
    [
      ...(options.stackStops ? ["(with the services up: `npm start` without --exit keeps them running)"] : []),
      `export GYRE_NAMESPACE=${namespace}`,
      `npx gyre predict --dataset ${DATASET} --row precipitation=0 temp_max=5.6 temp_min=-1.1 wind=4.5 month=1 temp_max_lag1=6.1 precipitation_mean_7=1.2`,
      `npx gyre models lineage ${DATASET} ${version}`,
      `npx gyre metrics ${DATASET}`,
      "npx gyre status",
    ].join("\n"),
  ]);
  return rows;
}
