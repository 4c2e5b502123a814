import { once } from "node:events";
import { performance } from "node:perf_hooks";
import type { ServerWritableStream } from "@grpc/grpc-js";
import {
  type ExportTrainingSetRequest__Output,
  type ExportTrainingSetResponse,
  type FeatureStoreHandlers,
  GrpcStatus,
  type GrpcStatusError,
  grpcError,
} from "@gyre/grpc";
import type { Logger } from "@gyre/log";
import type pg from "pg";
import { parseDatasetArgument, parseExportRequest } from "./exportRequest.ts";
import { LayoutError } from "./layout.ts";
import type { FeatureStoreMetrics } from "./metrics.ts";
import { onlineFeatures } from "./onlineFeatures.ts";
import { InvalidArgumentError, NotFoundError } from "./requestErrors.ts";
import { exportTrainingSet } from "./trainingExport.ts";

export interface FeatureStoreApi {
  pool: pg.Pool;
  log: Logger;
  metrics: FeatureStoreMetrics;
}

/** Domain errors → gRPC statuses; anything else is INTERNAL and logged. */
function statusOf(err: unknown, log: Logger, method: string): GrpcStatusError {
  if (err instanceof NotFoundError) return grpcError(GrpcStatus.NOT_FOUND, err.message);
  if (err instanceof InvalidArgumentError) return grpcError(GrpcStatus.INVALID_ARGUMENT, err.message);
  if (err instanceof LayoutError) return grpcError(GrpcStatus.FAILED_PRECONDITION, err.message);
  log.error({ err, event: "grpc.call_failed", method }, "gRPC call failed");
  return grpcError(GrpcStatus.INTERNAL, `${method} failed: ${err instanceof Error ? err.message : String(err)}`);
}

function streamSink(call: ServerWritableStream<ExportTrainingSetRequest__Output, ExportTrainingSetResponse>) {
  return {
    write: async (message: ExportTrainingSetResponse) => {
      if (!call.write(message)) await Promise.race([once(call, "drain"), once(call, "cancelled")]);
    },
    cancelled: () => call.cancelled,
  };
}

export function featureStoreHandlers(api: FeatureStoreApi): FeatureStoreHandlers {
  return {
    GetOnlineFeatures: (call, callback) => {
      const request = call.request;
      (async () =>
        onlineFeatures(api.pool, parseDatasetArgument(request.dataset), {
          entityKeys: request.entity_keys,
          at: request.at,
          withHistory: request.with_history,
        }))().then(
        (response) => callback(null, response),
        (err) => callback(statusOf(err, api.log, "GetOnlineFeatures")),
      );
    },
    ExportTrainingSet: (call) => {
      const started = performance.now();
      const run = async () => {
        const request = parseExportRequest(call.request);
        const summary = await exportTrainingSet(api.pool, request, streamSink(call));
        const { snapshot } = summary;
        api.metrics.exportRows.inc({ dataset: snapshot.dataset }, summary.rows);
        api.metrics.exportDuration.observe(
          { dataset: snapshot.dataset, outcome: "ok" },
          (performance.now() - started) / 1000,
        );
        api.log.info(
          {
            event: "training_set.exported",
            dataset: snapshot.dataset,
            snapshotId: snapshot.snapshotId,
            created: snapshot.created,
            specRevision: snapshot.specRevision,
            batches: snapshot.batches.length,
            trainRows: snapshot.trainRows,
            holdoutRows: snapshot.holdoutRows,
            rows: summary.rows,
            cancelled: call.cancelled,
            ms: Math.round(performance.now() - started),
          },
          "training set exported",
        );
      };
      run().then(
        () => call.end(),
        (err) => {
          api.metrics.exportDuration.observe({ dataset: "", outcome: "error" }, (performance.now() - started) / 1000);
          call.emit("error", statusOf(err, api.log, "ExportTrainingSet"));
        },
      );
    },
  };
}
