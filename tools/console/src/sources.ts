import * as grpc from "@grpc/grpc-js";
import { type Bus, consumerBacklogs } from "@gyre/bus";
import { checkHealth, grpcChannelCredentials, loadProto } from "@gyre/grpc";
import type { SpecStore } from "@gyre/spec";
import { type ConsoleConfig, SERVICES, variableOf } from "./config.ts";
import { type EventSummary, recentEvents, TIMELINE_TYPES } from "./events.ts";

const CALL_TIMEOUT_MS = 10_000;
const HEALTH_TIMEOUT_MS = 1500;
/** A reproduction waits for a run in progress (the trainer's lock timeout, 5 min by default), then trains. */
const REPRODUCE_TIMEOUT_MS = 30 * 60_000;

/** The trainer's ReproduceRunResponse, as much of it as the console shows. */
export interface ReproduceAnswer {
  original: { run_id: string; status: string };
  reproduction: { run_id: string; status: string; error: string; duration_ms: string };
  metrics: { name: string; original: number; reproduced: number; difference: number }[];
  same_backend: boolean;
  weights_identical: boolean;
}

/** A failed gRPC call, with the status name so the HTTP layer can answer with the matching code. */
export class SourceError extends Error {
  override name = "SourceError";
  constructor(
    readonly source: string,
    readonly code: number,
    message: string,
  ) {
    super(`${source}: ${message}`);
  }
}

type Unary = (
  request: object,
  options: grpc.CallOptions,
  callback: (error: grpc.ServiceError | null, response: unknown) => void,
) => void;

/** Calls a unary method of a generated client; the response is returned as plain JSON-able data. */
function unary<T>(
  source: string,
  client: grpc.Client,
  method: string,
  request: object,
  timeoutMs = CALL_TIMEOUT_MS,
): Promise<T> {
  const call = (client as unknown as Record<string, Unary>)[method];
  if (!call) return Promise.reject(new SourceError(source, grpc.status.UNIMPLEMENTED, `no method ${method}`));
  return new Promise((resolve, reject) => {
    call.call(client, request, { deadline: Date.now() + timeoutMs }, (error, response) =>
      error ? reject(new SourceError(source, error.code, error.details || error.message)) : resolve(response as T),
    );
  });
}

export interface ServiceHealth {
  service: string;
  live: boolean;
  ready: boolean;
  /** gRPC health (SERVING, NOT_SERVING, ...) for the services with a gRPC API. */
  grpc?: string;
  detail: string;
}

interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  processID: string;
  startTime: number;
  duration: number;
  references: { refType: string; traceID: string; spanID: string }[];
  tags: { key: string; value: unknown }[];
}
interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string }>;
}

/** A span as the waterfall draws it. */
export interface SpanView {
  traceId: string;
  spanId: string;
  parentId?: string;
  links: string[];
  service: string;
  name: string;
  start: number;
  duration: number;
  error: boolean;
}

/**
 * Everything the console reads: the services' gRPC APIs and ops endpoints, the bus, the spec store (NATS KV) and
 * the Jaeger query API. Never a service's tables.
 */
export class Sources {
  readonly #clients: grpc.Client[] = [];
  readonly registry: grpc.Client;
  readonly trainer: grpc.Client;
  readonly monitoring: grpc.Client;
  readonly #credentials: grpc.ChannelCredentials;

  constructor(
    readonly config: ConsoleConfig,
    readonly bus: Bus,
    readonly specs: SpecStore,
  ) {
    this.#credentials = grpcChannelCredentials(config);
    const Registry = loadProto("registry/registry.proto").gyre.registry.v1.ModelRegistry;
    const Trainer = loadProto("trainer/trainer.proto").gyre.trainer.v1.Trainer;
    const Monitoring = loadProto("monitoring/monitoring.proto").gyre.monitoring.v1.Monitoring;
    this.registry = this.#client(new Registry(this.#grpcAddress("registry"), this.#credentials));
    this.trainer = this.#client(new Trainer(this.#grpcAddress("trainer"), this.#credentials));
    this.monitoring = this.#client(new Monitoring(this.#grpcAddress("monitoring"), this.#credentials));
  }

  #client<C extends grpc.Client>(client: C): C {
    this.#clients.push(client);
    return client;
  }

  #grpcAddress(service: string): string {
    return this.config[variableOf(service, "GRPC")] ?? "";
  }

  call<T>(
    service: "registry" | "trainer" | "monitoring",
    method: string,
    request: object,
    timeoutMs = CALL_TIMEOUT_MS,
  ): Promise<T> {
    return unary<T>(service, this[service], method, request, timeoutMs);
  }

  async health(): Promise<ServiceHealth[]> {
    return Promise.all(
      SERVICES.map(async (endpoint): Promise<ServiceHealth> => {
        const address = this.config[variableOf(endpoint.service, "METRICS")] ?? "";
        const get = (path: string) =>
          fetch(`http://${address}${path}`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
        const grpcHealth =
          "grpcPort" in endpoint
            ? checkHealth(this.#grpcAddress(endpoint.service), this.#credentials, "", HEALTH_TIMEOUT_MS).catch(
                (error: grpc.ServiceError) => grpc.status[error.code] ?? "UNAVAILABLE",
              )
            : Promise.resolve(undefined);
        try {
          const live = (await get("/healthz")).ok;
          const readyz = await get("/readyz");
          const body = (await readyz.json().catch(() => ({}))) as { failing?: string[]; status?: string };
          const detail = readyz.ok
            ? ""
            : body.failing?.length
              ? `failing: ${body.failing.join(", ")}`
              : (body.status ?? "");
          const grpcStatus = await grpcHealth;
          return {
            service: endpoint.service,
            live,
            ready: readyz.ok,
            detail,
            ...(grpcStatus ? { grpc: grpcStatus } : {}),
          };
        } catch (error) {
          const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
          const grpcStatus = await grpcHealth;
          return {
            service: endpoint.service,
            live: false,
            ready: false,
            detail: `${address}: ${cause}`,
            ...(grpcStatus ? { grpc: grpcStatus } : {}),
          };
        }
      }),
    );
  }

  /** Health, backlogs, and per dataset the champion, last training and last drift; then the recent events. */
  async overview(): Promise<object> {
    const [services, consumers, names, events] = await Promise.all([
      this.health(),
      consumerBacklogs(this.bus),
      this.specs.list(),
      recentEvents(this.bus, TIMELINE_TYPES, { limit: 60 }),
    ]);
    const datasets = await Promise.all(names.map((dataset) => this.datasetSummary(dataset)));
    return { namespace: this.bus.namespace, services, consumers, datasets, events: events.reverse() };
  }

  async datasetSummary(dataset: string): Promise<object> {
    const settle = async <T>(work: Promise<T>) => {
      try {
        return { value: await work };
      } catch (error) {
        return { error: (error as Error).message };
      }
    };
    const [revision, champion, runs, drift] = await Promise.all([
      this.specs.current(dataset).then((current) => current.revision),
      settle(this.call<{ version: string; since: string }>("registry", "GetChampion", { dataset })),
      settle(this.call<{ runs: object[] }>("registry", "ListRuns", { dataset, limit: 1 })),
      settle(
        this.call<{ events: object[] }>("monitoring", "ListDriftEvents", {
          dataset,
          limit: 1,
          include_no_drift: false,
        }),
      ),
    ]);
    const notFound = (error?: string) => error !== undefined && /NOT_FOUND|not found|no champion/i.test(error);
    return {
      dataset,
      specRevision: revision,
      champion: champion.value ?? null,
      lastRun: runs.value?.runs[0] ?? null,
      lastDrift: drift.value?.events[0] ?? null,
      problems: [
        ...(champion.error && !notFound(champion.error) ? [champion.error] : []),
        ...(runs.error ? [runs.error] : []),
        ...(drift.error ? [drift.error] : []),
      ],
    };
  }

  /** Spec revisions, and the batches of the dataset as the bus tells them (ingested, validated, rejected). */
  async dataset(dataset: string): Promise<object> {
    const [history, events] = await Promise.all([
      this.specs.history(dataset),
      recentEvents(this.bus, ["data.ingested", "data.validated", "data.rejected"], { dataset, limit: 1000 }),
    ]);
    const batches = new Map<string, Record<string, unknown>>();
    for (const event of events) {
      const data = (event.data ?? {}) as Record<string, unknown>;
      const batchId = String(data.batchId ?? "");
      const batch = batches.get(batchId) ?? { batchId, traceId: event.traceId };
      if (event.type === "data.ingested") {
        Object.assign(batch, {
          batchKey: data.batchKey,
          sha256: data.sha256,
          rows: data.rowCount,
          ingestedAt: event.time,
        });
      } else if (event.type === "data.validated") {
        Object.assign(batch, {
          status: "validated",
          validRows: data.validRows,
          invalidRows: data.invalidRows,
          anomalies: data.anomalies,
          statistics: data.statistics,
        });
      } else {
        Object.assign(batch, {
          status: "rejected",
          reason: data.reason,
          anomalies: data.anomalies,
          invalidRows: data.invalidRows ?? data.rowCount,
        });
      }
      batches.set(batchId, batch);
    }
    return { dataset, revisions: history, batches: [...batches.values()].reverse() };
  }

  /**
   * Feature statistics of the recent validated batches (their data.validated events) beside the champion's training
   * reference (monitoring's GetReferenceStatistics) and the newest data drift check's per-feature tests.
   */
  async featureStatistics(dataset: string, batchLimit = 10): Promise<object> {
    const [reference, drift, events] = await Promise.all([
      this.call<object>("monitoring", "GetReferenceStatistics", { dataset }).catch((error: SourceError) => {
        if (error.code === grpc.status.NOT_FOUND) return null;
        throw error;
      }),
      this.call<{ events: { kind: string }[] }>("monitoring", "ListDriftEvents", {
        dataset,
        limit: 20,
        include_no_drift: true,
      }),
      recentEvents(this.bus, ["data.validated"], { dataset, limit: batchLimit }),
    ]);
    const batches = events.map((event) => {
      const data = (event.data ?? {}) as Record<string, unknown>;
      return { batchId: data.batchId, validatedAt: event.time, rows: data.validRows, statistics: data.statistics };
    });
    return {
      dataset,
      reference,
      latestDataCheck: drift.events.find((check) => check.kind === "data") ?? null,
      batches: batches.reverse(),
    };
  }

  async models(): Promise<object> {
    return this.call<object>("registry", "ListModels", {});
  }

  async model(dataset: string): Promise<object> {
    return this.call<object>("registry", "GetModel", { dataset });
  }

  async lineage(dataset: string, version: number): Promise<object> {
    return this.call<object>("registry", "GetLineage", { dataset, version });
  }

  async runs(dataset: string): Promise<object> {
    return this.call<object>("registry", "ListRuns", { dataset, limit: 100 });
  }

  /**
   * A run as the trainer recorded it (per-epoch metrics, params) beside the registry's decision, and the trace it
   * ran in (from its model.trained event on the bus).
   */
  async run(runId: string): Promise<object> {
    const [trained, decided] = await Promise.all([
      this.call<{ dataset: string }>("trainer", "GetRun", { run_id: runId }),
      this.call<object>("registry", "GetRun", { run_id: runId }).catch(() => null),
    ]);
    const events = await recentEvents(this.bus, ["model.trained"], { dataset: trained.dataset, limit: 500 });
    const event = events.find((candidate) => (candidate.data as { runId?: string } | undefined)?.runId === runId);
    return { trained, decided, traceId: event?.traceId ?? null };
  }

  async monitoringOf(dataset: string): Promise<object> {
    const [metrics, drift, retrains] = await Promise.all([
      this.call<object>("monitoring", "GetPrequentialMetrics", { dataset, limit: 1000 }),
      this.call<object>("monitoring", "ListDriftEvents", { dataset, limit: 100, include_no_drift: true }),
      this.call<object>("monitoring", "ListRetrains", { dataset, limit: 100 }),
    ]);
    return { metrics, drift, retrains };
  }

  async driftReport(dataset: string, id: string): Promise<string> {
    return (await this.call<{ html: string }>("monitoring", "GetDriftReport", { dataset, id })).html;
  }

  /**
   * Trains the run again from its snapshot, params and seed (the trainer's ReproduceRun: it waits for a run of the
   * dataset in progress, then trains, and answers when done).
   */
  async reproduce(runId: string): Promise<ReproduceAnswer> {
    return this.call<ReproduceAnswer>("trainer", "ReproduceRun", { run_id: runId }, REPRODUCE_TIMEOUT_MS);
  }

  async promote(dataset: string, version: number, reason: string, actor: string): Promise<object> {
    return this.call<object>("registry", "Promote", {
      dataset,
      version,
      reason,
      actor,
      request_id: crypto.randomUUID(),
    });
  }

  async rollback(dataset: string, reason: string, actor: string): Promise<object> {
    return this.call<object>("registry", "Rollback", { dataset, reason, actor, request_id: crypto.randomUUID() });
  }

  async #jaeger<T>(path: string): Promise<T> {
    const url = `${this.config.JAEGER_QUERY_URL.replace(/\/$/, "")}${path}`;
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
    } catch (error) {
      throw new SourceError("jaeger", grpc.status.UNAVAILABLE, `${url}: ${(error as Error).message}`);
    }
    if (response.status === 404) throw new SourceError("jaeger", grpc.status.NOT_FOUND, `${url}: not found`);
    if (!response.ok) throw new SourceError("jaeger", grpc.status.UNAVAILABLE, `${url}: HTTP ${response.status}`);
    return ((await response.json()) as { data: T }).data;
  }

  /** Whether a trace belongs to this namespace: one of its spans names a subject or durable of it. */
  #ours(trace: JaegerTrace): boolean {
    const prefix = `${this.bus.namespace}.`;
    return trace.spans.some((span) => span.tags.some((tag) => String(tag.value).startsWith(prefix)));
  }

  /** The namespace's recent traces, newest first, with the services each one touches. */
  async traces(lookbackMinutes = 60, limit = 50): Promise<object[]> {
    const end = Date.now() * 1000;
    const start = end - lookbackMinutes * 60_000_000;
    const found = new Map<string, JaegerTrace>();
    for (const { service } of SERVICES) {
      const traces = await this.#jaeger<JaegerTrace[]>(
        `/api/traces?service=gyre-${service}&start=${start}&end=${end}&limit=${limit}`,
      ).catch((error: SourceError) => {
        if (error.code === grpc.status.NOT_FOUND) return [];
        throw error;
      });
      for (const trace of traces ?? []) if (this.#ours(trace)) found.set(trace.traceID, trace);
    }
    return [...found.values()]
      .map((trace) => {
        const spans = this.#spans(trace);
        const first = Math.min(...spans.map((span) => span.start));
        const last = Math.max(...spans.map((span) => span.start + span.duration));
        const root = spans.find((span) => !span.parentId) ?? spans[0];
        return {
          traceId: trace.traceID,
          root: root ? `${root.service}: ${root.name}` : "",
          start: first,
          duration: last - first,
          spans: spans.length,
          services: [...new Set(spans.map((span) => span.service))],
          links: [...new Set(spans.flatMap((span) => span.links))].filter((id) => id !== trace.traceID),
        };
      })
      .sort((a, b) => b.start - a.start)
      .slice(0, limit);
  }

  #spans(trace: JaegerTrace): SpanView[] {
    return trace.spans.map((span) => {
      const parent = span.references.find((reference) => reference.refType === "CHILD_OF");
      return {
        traceId: span.traceID,
        spanId: span.spanID,
        ...(parent ? { parentId: parent.spanID } : {}),
        links: span.references
          .filter((reference) => reference.refType === "FOLLOWS_FROM")
          .map((reference) => reference.traceID),
        service: (trace.processes[span.processID]?.serviceName ?? "").replace(/^gyre-/, ""),
        name: span.operationName,
        start: span.startTime,
        duration: span.duration,
        error: span.tags.some((tag) => tag.key === "error" && tag.value === true),
      };
    });
  }

  /**
   * One trace as a waterfall, followed through its links: a span that FOLLOWS_FROM another trace (the loop's
   * asynchronous hops, a retrain after drift) brings that trace's spans in too, up to `maxTraces` traces in all.
   */
  async trace(traceId: string, maxTraces = 4): Promise<object> {
    const spans: SpanView[] = [];
    const seen = new Set<string>();
    const queue = [traceId];
    while (queue.length > 0 && seen.size < maxTraces) {
      const id = queue.shift() ?? "";
      if (seen.has(id)) continue;
      seen.add(id);
      const [trace] = await this.#jaeger<JaegerTrace[]>(`/api/traces/${encodeURIComponent(id)}`).catch(
        (error: SourceError) => {
          if (error.code === grpc.status.NOT_FOUND && id !== traceId) return [];
          throw error;
        },
      );
      if (!trace) continue;
      for (const span of this.#spans(trace)) {
        spans.push(span);
        for (const link of span.links) if (!seen.has(link)) queue.push(link);
      }
    }
    spans.sort((a, b) => a.start - b.start);
    return {
      traceId,
      traces: [...seen],
      spans,
      services: [...new Set(spans.map((span) => span.service))],
      ...(this.config.JAEGER_UI_URL
        ? { jaegerUi: `${this.config.JAEGER_UI_URL.replace(/\/$/, "")}/trace/${traceId}` }
        : {}),
    };
  }

  async recent(types: readonly string[], limit: number): Promise<EventSummary[]> {
    return recentEvents(this.bus, types, { limit });
  }

  close(): void {
    for (const client of this.#clients) client.close();
  }
}
