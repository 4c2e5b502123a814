import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

/** A readiness check resolves when the dependency is usable and throws (or rejects) when it is not. */
export type ReadinessCheck = () => Promise<void> | void;

export interface OpsServerOptions {
  port: number;
  /** All interfaces when omitted. */
  host?: string;
  registry: Registry;
  checks?: Record<string, ReadinessCheck>;
  /** How long one readiness check may take before it counts as failed; 2000 ms by default. */
  checkTimeoutMs?: number;
}

export interface OpsServer {
  readonly port: number;
  /** `http://<host>:<port>`, for tests and logs. */
  readonly url: string;
  /** From now on /healthz and /readyz answer 503, so the orchestrator stops sending traffic while the service drains. */
  setDraining(): void;
  close(): Promise<void>;
}

export class CheckTimeoutError extends Error {
  override name = "CheckTimeoutError";
  constructor(
    readonly check: string,
    readonly timeoutMs: number,
  ) {
    super(`readiness check ${JSON.stringify(check)}: no answer within ${timeoutMs} ms`);
  }
}

type CheckResult = { status: "ok" } | { status: "failed"; error: string };

async function runCheck(name: string, check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeoutError(name, timeoutMs)), timeoutMs);
  });
  try {
    await Promise.race([Promise.resolve().then(check), timeout]);
    return { status: "ok" };
  } catch (error) {
    return { status: "failed", error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  response.end(JSON.stringify(body));
}

/** Serves /metrics (Prometheus text), /healthz (liveness) and /readyz (the readiness checks). */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const { registry, checks = {}, checkTimeoutMs = 2000 } = options;
  let draining = false;

  async function readiness(response: ServerResponse) {
    if (draining) return sendJson(response, 503, { status: "draining" });
    const names = Object.keys(checks);
    const results = await Promise.all(names.map((name) => runCheck(name, checks[name] ?? (() => {}), checkTimeoutMs)));
    const report = Object.fromEntries(names.map((name, i) => [name, results[i]]));
    const failing = names.filter((_, i) => results[i]?.status !== "ok");
    if (failing.length === 0) return sendJson(response, 200, { status: "ready", checks: report });
    sendJson(response, 503, { status: "not ready", failing, checks: report });
  }

  async function route(request: IncomingMessage, response: ServerResponse) {
    const path = (request.url ?? "/").split("?")[0];
    if (request.method !== "GET" && request.method !== "HEAD") {
      return sendJson(response, 405, { error: `method ${request.method}: only GET and HEAD` });
    }
    switch (path) {
      case "/metrics":
        response.writeHead(200, { "content-type": registry.contentType });
        return response.end(await registry.metrics());
      case "/healthz":
        return sendJson(response, draining ? 503 : 200, { status: draining ? "draining" : "ok" });
      case "/readyz":
        return readiness(response);
      default:
        return sendJson(response, 404, { error: `path ${JSON.stringify(path)}: try /metrics, /healthz or /readyz` });
    }
  }

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: String(error) });
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = options.host && options.host !== "0.0.0.0" && options.host !== "::" ? options.host : "127.0.0.1";

  return {
    port,
    url: `http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${port}`,
    setDraining() {
      draining = true;
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
