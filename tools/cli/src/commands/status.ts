import type { Command } from "commander";
import { messageOf } from "../failures.ts";
import { metricsAddressVariable, SERVICE_ENDPOINTS } from "../layout.ts";
import { printJson, printLine, printTable, timeText, versionText } from "../output.ts";
import { withSession } from "../run.ts";
import type { Session } from "../session.ts";

const HEALTH_TIMEOUT_MS = 1500;

interface ServiceHealth {
  service: string;
  address: string;
  live: boolean;
  ready: boolean;
  /** Why not ready (the failing checks), or why unreachable. */
  detail: string;
}

interface DatasetStatus {
  dataset: string;
  specRevision: number;
  champion: { version: number; since: string } | null;
  lastTraining: { runId: string; outcome: string; version: number; at: string } | null;
  lastDrift: { id: string; kind: string; status: string; at: string } | null;
  /** What could not be asked (registry or monitoring unreachable). */
  unknown: string[];
}

export function registerStatus(program: Command): void {
  program
    .command("status")
    .description("Health of each service, champion, last training and drift per dataset, backlog and DLQ per consumer")
    .option("--json", "print as JSON")
    .action(withSession(status));
}

async function health(service: string, address: string): Promise<ServiceHealth> {
  const get = (path: string) => fetch(`http://${address}${path}`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
  try {
    const live = (await get("/healthz")).ok;
    const readyz = await get("/readyz");
    const body = (await readyz.json().catch(() => ({}))) as { status?: string; failing?: string[] };
    const detail = readyz.ok ? "" : body.failing?.length ? `failing: ${body.failing.join(", ")}` : (body.status ?? "");
    return { service, address, live, ready: readyz.ok, detail };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { service, address, live: false, ready: false, detail: cause ?? messageOf(error) };
  }
}

async function datasetStatus(session: Session, dataset: string, specRevision: number): Promise<DatasetStatus> {
  const entry: DatasetStatus = {
    dataset,
    specRevision,
    champion: null,
    lastTraining: null,
    lastDrift: null,
    unknown: [],
  };
  const registry = session.registry();
  const [champion, runs] = await Promise.allSettled([
    registry.GetChampion({ dataset }, { timeoutMs: 3000 }),
    registry.ListRuns({ dataset, limit: 1 }, { timeoutMs: 3000 }),
  ]);
  if (champion.status === "fulfilled") {
    entry.champion = { version: Number(champion.value.version), since: champion.value.since };
  } else if (!/^NOT_FOUND/.test(messageOf(champion.reason))) {
    entry.unknown.push(`champion: ${messageOf(champion.reason)}`);
  }
  if (runs.status === "fulfilled") {
    const [run] = runs.value.runs;
    if (run)
      entry.lastTraining = {
        runId: run.run_id,
        outcome: run.outcome,
        version: Number(run.version),
        at: run.recorded_at,
      };
  } else {
    entry.unknown.push(`training: ${messageOf(runs.reason)}`);
  }
  try {
    const { events } = await session
      .monitoring()
      .ListDriftEvents({ dataset, limit: 1, include_no_drift: false }, { timeoutMs: 3000 });
    const [drift] = events;
    if (drift) entry.lastDrift = { id: drift.id, kind: drift.kind, status: drift.status, at: drift.checked_at };
  } catch (error) {
    entry.unknown.push(`drift: ${messageOf(error)}`);
  }
  return entry;
}

async function status(session: Session, options: { json?: boolean }): Promise<void> {
  const bus = await session.bus();
  const specs = await session.specs();
  const services = await Promise.all(
    SERVICE_ENDPOINTS.map(({ service }) => health(service, session.config[metricsAddressVariable(service)] ?? "")),
  );
  const datasets: DatasetStatus[] = [];
  for (const name of await specs.list()) {
    datasets.push(await datasetStatus(session, name, (await specs.current(name)).revision));
  }
  const { consumerBacklogs } = await import("@gyre/bus");
  const consumers = await consumerBacklogs(bus);
  if (options.json) return printJson({ namespace: session.namespace, services, datasets, consumers });

  printLine(`namespace ${session.namespace}`);
  printLine();
  printTable(
    ["service", "health", "address", "detail"],
    services.map((entry) => [
      entry.service,
      entry.ready ? "ready" : entry.live ? "not ready" : "down",
      entry.address,
      entry.detail,
    ]),
  );
  printLine();
  printTable(
    ["dataset", "spec", "champion", "last training", "last drift"],
    datasets.map((entry) => [
      entry.dataset,
      `r${entry.specRevision}`,
      entry.champion
        ? `${versionText(entry.champion.version)} since ${timeText(entry.champion.since)}`
        : unknownOr(entry, "champion"),
      entry.lastTraining
        ? `${entry.lastTraining.runId} ${entry.lastTraining.outcome} ${versionText(entry.lastTraining.version)} ${timeText(entry.lastTraining.at)}`
        : unknownOr(entry, "training"),
      entry.lastDrift
        ? `${entry.lastDrift.kind} ${entry.lastDrift.status} ${timeText(entry.lastDrift.at)}`
        : unknownOr(entry, "drift"),
    ]),
    "no datasets: apply a spec with `gyre datasets apply <file>`",
  );
  const unknown = new Set(datasets.flatMap((entry) => entry.unknown.map((line) => line.slice(line.indexOf(": ") + 2))));
  for (const reason of unknown) printLine(`? could not be asked: ${reason}`);
  printLine();
  printTable(
    ["consumer", "pending", "ack pending", "redelivered", "dlq"],
    consumers.map((entry) => [entry.consumer, entry.pending, entry.ackPending, entry.redelivered, entry.dlq]),
    "no consumers yet: they appear when the services start",
  );
}

/** "none", or "?" when the service that knows was not reachable. */
function unknownOr(entry: DatasetStatus, what: string): string {
  return entry.unknown.some((line) => line.startsWith(`${what}:`)) ? "?" : "none";
}
