import type * as grpc from "@grpc/grpc-js";
import type { ArtifactStore } from "@gyre/artifacts";
import { isValidName } from "@gyre/contracts";
import { DatabaseUnavailableError } from "@gyre/db";
import {
  createGrpcServer,
  GrpcStatus,
  GrpcStatusError,
  grpcError,
  listen,
  loadProto,
  type MonitoringHandlers,
} from "@gyre/grpc";
import type { Logger } from "@gyre/log";
import type { ColumnReference } from "@gyre/model";
import { LABEL } from "@gyre/telemetry";
import type pg from "pg";
import type { Champions } from "./champions.ts";
import { DriftReportNotFoundError, readDriftReport } from "./driftReportStore.ts";
import type { MonitoringMetrics } from "./metrics.ts";
import { driftEvents, prequentialPoints, retrains, unscoredBatches } from "./monitoringQueries.ts";
import { servedAccuracy } from "./servedAccuracy.ts";

export const MONITORING_PROTO = "monitoring/monitoring.proto";

export interface MonitoringRpcDeps {
  pool: pg.Pool;
  store: ArtifactStore;
  log: Logger;
  metrics: MonitoringMetrics;
  /** The champions this replica holds: their bundles carry the training-reference statistics. */
  champions: Pick<Champions, "current">;
}

/** The gyre.monitoring.v1.Monitoring service. */
export function monitoringHandlers(deps: MonitoringRpcDeps): MonitoringHandlers {
  return {
    GetPrequentialMetrics: unary(deps, "GetPrequentialMetrics", async (request) => {
      const dataset = datasetArgument(request.dataset);
      const limit = limitArgument(request.limit, 1000, 10_000);
      return {
        dataset,
        points: await prequentialPoints(deps.pool, dataset, limit),
        unscored: await unscoredBatches(deps.pool, dataset, limit),
      };
    }),
    ListDriftEvents: unary(deps, "ListDriftEvents", async (request) => {
      const dataset = datasetArgument(request.dataset);
      const limit = limitArgument(request.limit, 100, 1000);
      return { dataset, events: await driftEvents(deps.pool, dataset, limit, request.include_no_drift) };
    }),
    ListRetrains: unary(deps, "ListRetrains", async (request) => {
      const dataset = datasetArgument(request.dataset);
      return { dataset, retrains: await retrains(deps.pool, dataset, limitArgument(request.limit, 100, 1000)) };
    }),
    GetServedAccuracy: unary(deps, "GetServedAccuracy", async (request) => {
      const dataset = datasetArgument(request.dataset);
      const period = request.period === "" ? "day" : request.period;
      if (period !== "hour" && period !== "day") {
        throw grpcError(GrpcStatus.INVALID_ARGUMENT, `period ${JSON.stringify(request.period)}: use "hour" or "day"`);
      }
      const accuracy = await servedAccuracy(deps.pool, dataset, period);
      return { dataset, versions: accuracy.versions, over_time: accuracy.overTime, labels: accuracy.labels };
    }),
    GetReferenceStatistics: unary(deps, "GetReferenceStatistics", async (request) => {
      const dataset = datasetArgument(request.dataset);
      const champion = await deps.champions.current(dataset);
      if (champion === null) {
        throw grpcError(GrpcStatus.NOT_FOUND, `dataset ${JSON.stringify(dataset)} has no champion: no reference yet`);
      }
      const stats = champion.bundle.referenceStats;
      return {
        dataset,
        model_version: champion.version,
        run_id: champion.runId,
        rows: stats.rows,
        columns: stats.columns.map(columnMessage),
        label: columnMessage(stats.label),
      };
    }),
    GetDriftReport: unary(deps, "GetDriftReport", async (request) => {
      const dataset = datasetArgument(request.dataset);
      if (request.id === "")
        throw grpcError(GrpcStatus.INVALID_ARGUMENT, "id is empty: name a check id from ListDriftEvents");
      const report = await readDriftReport(deps.pool, deps.store, dataset, request.id);
      return { dataset, id: report.id, report_key: report.reportKey, html: report.html };
    }),
  };
}

/** The Monitoring gRPC server (with health and reflection), listening; resolves with it and the bound port. */
export async function startMonitoringServer(
  deps: MonitoringRpcDeps,
  address: { host: string; port: number; credentials?: grpc.ServerCredentials },
) {
  const server = createGrpcServer({ protos: [MONITORING_PROTO] });
  server.server.addService(loadProto(MONITORING_PROTO).gyre.monitoring.v1.Monitoring.service, monitoringHandlers(deps));
  const port = await listen(server.server, address.host, address.port, address.credentials);
  return { server, port };
}

/** A reference column as the proto carries it: numeric fields zero and lists empty where they do not apply. */
function columnMessage(column: ColumnReference) {
  const common = { name: column.name, kind: column.kind, count: column.count, missing: column.missing };
  if (column.kind === "categorical") {
    return { ...common, categories: column.categories, unknown: column.unknown };
  }
  return {
    ...common,
    mean: column.mean,
    std: column.std,
    min: column.min,
    max: column.max,
    quantiles: column.quantiles,
    histogram_edges: column.histogram.edges,
    histogram_counts: column.histogram.counts,
  };
}

function datasetArgument(value: string): string {
  if (!isValidName(value)) {
    throw grpcError(
      GrpcStatus.INVALID_ARGUMENT,
      `dataset ${JSON.stringify(value)}: names start with a-z, then a-z, 0-9, "-" and "_", at most 63 characters`,
    );
  }
  return value;
}

function limitArgument(value: number, fallback: number, max: number): number {
  if (value === 0) return fallback;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw grpcError(GrpcStatus.INVALID_ARGUMENT, `limit ${value}: use 1 to ${max}, or 0 for ${fallback}`);
  }
  return value;
}

function statusOf(error: unknown): GrpcStatusError {
  if (error instanceof GrpcStatusError) return error;
  if (error instanceof DriftReportNotFoundError) return grpcError(GrpcStatus.NOT_FOUND, error.message);
  if (error instanceof DatabaseUnavailableError) return grpcError(GrpcStatus.UNAVAILABLE, error.message);
  return grpcError(GrpcStatus.INTERNAL, error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}

/** A unary handler from an async function: answers with its result or the status of what it threw, timed by method and code. */
function unary<Request, Response>(
  deps: Pick<MonitoringRpcDeps, "log" | "metrics">,
  method: string,
  answer: (request: Request) => Promise<Response>,
): grpc.handleUnaryCall<Request, Response> {
  return (call, callback) => {
    const started = performance.now();
    const observe = (code: grpc.status) =>
      deps.metrics.grpcDuration.observe(
        { [LABEL.grpcMethod]: method, [LABEL.grpcCode]: GrpcStatus[code] },
        (performance.now() - started) / 1000,
      );
    answer(call.request).then(
      (response) => {
        observe(GrpcStatus.OK);
        callback(null, response);
      },
      (error: unknown) => {
        const status = statusOf(error);
        observe(status.code);
        if (status.code === GrpcStatus.INTERNAL || status.code === GrpcStatus.UNAVAILABLE) {
          deps.log.error({ err: error, event: "grpc.failed", method, code: GrpcStatus[status.code] }, "call failed");
        }
        callback(status);
      },
    );
  };
}
