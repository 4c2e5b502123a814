import { timingSafeEqual } from "node:crypto";
import { existsSync } from "node:fs";
import fastifyStatic from "@fastify/static";
import * as grpc from "@grpc/grpc-js";
import { connectBus } from "@gyre/bus";
import { natsConnectOptions } from "@gyre/service";
import { SpecStore } from "@gyre/spec";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { BUNDLE_DIR } from "./bundle.ts";
import type { ConsoleConfig } from "./config.ts";
import { type EventSummary, followEvents, TIMELINE_TYPES } from "./events.ts";
import { type ReproduceAnswer, SourceError, Sources } from "./sources.ts";

/** The actor the registry records for changes made through the console. */
export const CONSOLE_ACTOR = "console";

export interface RunningConsole {
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

const HTTP_STATUS: Partial<Record<number, number>> = {
  [grpc.status.INVALID_ARGUMENT]: 400,
  [grpc.status.NOT_FOUND]: 404,
  [grpc.status.ALREADY_EXISTS]: 409,
  [grpc.status.FAILED_PRECONDITION]: 409,
  [grpc.status.PERMISSION_DENIED]: 403,
  [grpc.status.UNAUTHENTICATED]: 401,
  [grpc.status.UNAVAILABLE]: 503,
  [grpc.status.DEADLINE_EXCEEDED]: 504,
};

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A positive integer path or body value, or a 400 that names it. */
function positiveInteger(name: string, raw: unknown): number {
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new HttpError(400, `${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** A reproduction started from the console: running, then the trainer's answer or its error. */
interface Reproduction {
  id: string;
  runId: string;
  status: "running" | "succeeded" | "failed";
  startedAt: string;
  finishedAt?: string;
  reproductionId?: string;
  answer?: ReproduceAnswer;
  error?: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Connects to the bus and the spec store, then serves the page and its API. */
export async function startConsole(config: ConsoleConfig): Promise<RunningConsole> {
  if (!existsSync(`${BUNDLE_DIR}/index.html`)) {
    throw new Error(`the console's page is not built: ${BUNDLE_DIR}/index.html is missing (run buildBundle first)`);
  }
  const bus = await connectBus({
    servers: config.NATS_URL.split(",").map((server) => server.trim()),
    namespace: config.GYRE_NAMESPACE,
    name: `gyre-console-${process.pid}`,
    provision: false,
    closeTimeoutMs: 2000,
    ...natsConnectOptions(config, config.GYRE_NAMESPACE, "gyre"),
  });
  const specs = await SpecStore.open(bus.connection, config.GYRE_NAMESPACE);
  const sources = new Sources(config, bus, specs);
  const app = Fastify({ logger: { level: config.LOG_LEVEL } });

  // Live events: one consumer for the whole console, fanned out to every open page.
  const listeners = new Set<(event: EventSummary) => void>();
  const streams = new Set<import("node:http").ServerResponse>();
  let stopFollowing: (() => Promise<void>) | undefined;
  let retry: NodeJS.Timeout | undefined;
  let closing = false;
  // The streams appear when the first service starts: until then, try again every 5 s.
  const follow = async () => {
    try {
      stopFollowing = await followEvents(bus, TIMELINE_TYPES, (event) => {
        for (const listener of listeners) listener(event);
      });
      app.log.info({ event: "console.live" });
    } catch (error) {
      app.log.warn({ event: "console.live_unavailable", err: (error as Error).message, retryInMs: 5000 });
      if (!closing) retry = setTimeout(() => void follow(), 5000);
    }
  };
  await follow();

  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const status =
      error instanceof HttpError
        ? error.status
        : error instanceof SourceError
          ? (HTTP_STATUS[error.code] ?? 502)
          : (error.statusCode ?? 500);
    if (status >= 500) request.log.warn({ event: "console.request_failed", url: request.url, err: error.message });
    void reply.status(status).send({ error: error.message });
  });

  const requireOperator = (request: FastifyRequest, action: string) => {
    const expected = config.GYRE_OPERATOR_TOKEN;
    if (expected === undefined) {
      throw new HttpError(403, "the console is read-only: it was started without GYRE_OPERATOR_TOKEN");
    }
    const header = request.headers.authorization ?? "";
    const given = /^Bearer (.+)$/.exec(header)?.[1];
    if (given === undefined) throw new HttpError(401, `the operator token is required to ${action}`);
    if (!sameSecret(given, expected))
      throw new HttpError(403, "the operator token is not the one this console accepts");
  };

  // Reproductions started from this console, by job id (kept while it runs; the runs themselves live in the trainer).
  const reproductions = new Map<string, Reproduction>();

  const reasonOf = (body: unknown): string => {
    const reason = String((body as { reason?: unknown } | null)?.reason ?? "").trim();
    if (reason.length < 3)
      throw new HttpError(400, `a reason is required (at least 3 characters), got ${JSON.stringify(reason)}`);
    return reason;
  };

  // Probes (compose, Kubernetes): alive once listening; ready while the NATS connection is open.
  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_request, reply) =>
    bus.connection.isClosed() ? reply.status(503).send({ status: "nats closed" }) : { status: "ok" },
  );
  app.get("/api/session", async () => ({
    namespace: config.GYRE_NAMESPACE,
    writable: config.GYRE_OPERATOR_TOKEN !== undefined,
    jaegerUi: config.JAEGER_UI_URL ?? null,
  }));
  app.get("/api/overview", () => sources.overview());
  app.get("/api/datasets", async () => ({ datasets: await specs.list() }));
  app.get<{ Params: { name: string } }>("/api/datasets/:name", (request) => sources.dataset(request.params.name));
  app.get<{ Params: { name: string } }>("/api/datasets/:name/features", (request) =>
    sources.featureStatistics(request.params.name),
  );
  app.get("/api/models", () => sources.models());
  app.get<{ Params: { dataset: string } }>("/api/models/:dataset", (request) => sources.model(request.params.dataset));
  app.get<{ Params: { dataset: string; version: string } }>(
    "/api/models/:dataset/versions/:version/lineage",
    (request) => sources.lineage(request.params.dataset, positiveInteger("version", request.params.version)),
  );
  app.get<{ Querystring: { dataset?: string } }>("/api/runs", (request) => sources.runs(request.query.dataset ?? ""));
  app.get<{ Params: { id: string } }>("/api/runs/:id", (request) => sources.run(request.params.id));
  app.get<{ Params: { dataset: string } }>("/api/monitoring/:dataset", (request) =>
    sources.monitoringOf(request.params.dataset),
  );
  app.get<{ Params: { dataset: string; id: string } }>(
    "/api/monitoring/:dataset/drift/:id/report",
    async (request, reply) => {
      const html = await sources.driftReport(request.params.dataset, request.params.id);
      // The report is the monitoring service's own page: shown as is, scripts and the network off.
      return reply
        .header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
        .type("text/html; charset=utf-8")
        .send(html);
    },
  );
  app.get("/api/traces", () => sources.traces());
  app.get<{ Params: { id: string } }>("/api/traces/:id", (request) => sources.trace(request.params.id));

  app.post<{ Params: { dataset: string } }>("/api/models/:dataset/promote", async (request) => {
    requireOperator(request, "change the champion");
    const body = request.body as { version?: unknown } | null;
    const version = positiveInteger("version", body?.version);
    const reason = reasonOf(body);
    const change = await sources.promote(request.params.dataset, version, reason, CONSOLE_ACTOR);
    request.log.info({ event: "console.promoted", dataset: request.params.dataset, version, reason });
    return change;
  });
  app.post<{ Params: { dataset: string } }>("/api/models/:dataset/rollback", async (request) => {
    requireOperator(request, "change the champion");
    const reason = reasonOf(request.body);
    const change = await sources.rollback(request.params.dataset, reason, CONSOLE_ACTOR);
    request.log.info({ event: "console.rolled_back", dataset: request.params.dataset, reason });
    return change;
  });

  // Reproductions take as long as a training run: started here, answered at once with a job the page polls.
  app.post<{ Params: { id: string } }>("/api/runs/:id/reproduce", async (request, reply) => {
    requireOperator(request, "reproduce a run");
    const runId = request.params.id;
    const running = [...reproductions.values()].find((job) => job.runId === runId && job.status === "running");
    if (running) return reply.status(202).send(running);
    // The original must exist: an unknown run is a 404 now, not a failed job later.
    await sources.call("trainer", "GetRun", { run_id: runId });
    const job: Reproduction = {
      id: crypto.randomUUID(),
      runId,
      status: "running",
      startedAt: new Date().toISOString(),
    };
    reproductions.set(job.id, job);
    request.log.info({ event: "console.reproduce_started", runId, job: job.id });
    sources.reproduce(runId).then(
      (answer) => {
        Object.assign(job, {
          status: answer.reproduction.status === "succeeded" ? "succeeded" : "failed",
          finishedAt: new Date().toISOString(),
          reproductionId: answer.reproduction.run_id,
          answer,
        });
        app.log.info({ event: "console.reproduced", runId, reproductionId: answer.reproduction.run_id });
      },
      (error: Error) => {
        Object.assign(job, { status: "failed", finishedAt: new Date().toISOString(), error: error.message });
        app.log.warn({ event: "console.reproduce_failed", runId, err: error.message });
      },
    );
    return reply.status(202).send(job);
  });
  app.get<{ Params: { id: string } }>("/api/runs/:id/reproductions", async (request) => ({
    reproductions: [...reproductions.values()].filter((job) => job.runId === request.params.id).reverse(),
  }));
  app.get<{ Params: { job: string } }>("/api/reproductions/:job", async (request) => {
    const job = reproductions.get(request.params.job);
    if (!job) throw new HttpError(404, `no reproduction ${JSON.stringify(request.params.job)} in this console`);
    return job;
  });

  app.get("/api/events", (request: FastifyRequest, reply: FastifyReply) => {
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    response.write(`retry: 2000\n\n`);
    const send = (event: EventSummary) => {
      const { data: _data, ...envelope } = event;
      response.write(`event: loop\ndata: ${JSON.stringify(envelope)}\n\n`);
    };
    const keepAlive = setInterval(() => response.write(": keep-alive\n\n"), 15_000);
    listeners.add(send);
    streams.add(response);
    request.raw.on("close", () => {
      clearInterval(keepAlive);
      listeners.delete(send);
      streams.delete(response);
    });
  });

  await app.register(fastifyStatic, { root: BUNDLE_DIR, wildcard: false });
  // Client-side routes (/models, /runs/...) get the page; unknown API paths a 404.
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith("/api/") || request.method !== "GET") {
      return reply.status(404).send({ error: `no such endpoint: ${request.method} ${request.url}` });
    }
    return reply.type("text/html").sendFile("index.html");
  });

  const url = await app.listen({ host: config.CONSOLE_HOST, port: config.CONSOLE_PORT });
  app.log.info({
    event: "console.listening",
    url,
    namespace: config.GYRE_NAMESPACE,
    writable: config.GYRE_OPERATOR_TOKEN !== undefined,
  });
  return {
    url,
    app,
    close: async () => {
      closing = true;
      clearTimeout(retry);
      listeners.clear();
      for (const stream of streams) stream.end();
      await app.close();
      await stopFollowing?.();
      sources.close();
      await bus.close();
    },
  };
}
