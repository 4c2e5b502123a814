import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as grpc from "@grpc/grpc-js";
import { modelTrainedSchema } from "@gyre/contracts";
import { GrpcStatus } from "@gyre/grpc";
import { ArtifactCorruptError, TrainingDivergedError, TrainingInputError } from "@gyre/model";
import { UnknownSpecRevisionError } from "@gyre/spec";
import { ChampionUnusableError, finiteMetrics } from "../src/champion.ts";
import { LockLostError } from "../src/datasetLock.ts";
import { classifyFailure } from "../src/failures.ts";
import { metricDifferences } from "../src/reproduce.ts";
import { newRunId } from "../src/runClaims.ts";

function grpcFailure(code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(`${code} ${GrpcStatus[code]}: ${details}`), {
    code,
    details,
    metadata: new grpc.Metadata(),
  });
}

describe("run failures: permanent (recorded, never retried) or transient (triggers handed back)", () => {
  const cases: { name: string; error: unknown; permanent: boolean; kind: string }[] = [
    {
      name: "a single class in the training rows",
      error: new TrainingInputError("single-class", "sun", 'every labelled training row has class "sun"'),
      permanent: true,
      kind: "single-class",
    },
    {
      name: "the label missing from the snapshot",
      error: new TrainingInputError("label-missing", "weather", "label column missing"),
      permanent: true,
      kind: "label-missing",
    },
    { name: "a diverged loss", error: new TrainingDivergedError(3, 5), permanent: true, kind: "diverged" },
    {
      name: "a corrupt champion artifact",
      error: new ChampionUnusableError("d", 2, "corrupt", { cause: new ArtifactCorruptError("k", "not JSON") }),
      permanent: true,
      kind: "champion-artifact",
    },
    {
      name: "a spec revision gone from the store",
      error: new UnknownSpecRevisionError("d", 9),
      permanent: true,
      kind: "unknown-spec-revision",
    },
    {
      name: "the feature store refusing the export",
      error: grpcFailure(GrpcStatus.NOT_FOUND, 'dataset "d" has no rows'),
      permanent: true,
      kind: "grpc-refused",
    },
    {
      name: "the feature store unreachable",
      error: grpcFailure(GrpcStatus.UNAVAILABLE, "connection refused"),
      permanent: false,
      kind: "grpc-failed",
    },
    { name: "the dataset lock lost", error: new LockLostError("d"), permanent: false, kind: "LockLostError" },
    { name: "anything unknown", error: new Error("ECONNRESET"), permanent: false, kind: "Error" },
  ];
  for (const example of cases) {
    it(`${example.name} is ${example.permanent ? "permanent" : "transient"}`, () => {
      const failure = classifyFailure(example.error);
      assert.equal(failure.permanent, example.permanent);
      assert.equal(failure.kind, example.kind);
      assert.ok(failure.message.length > 0);
    });
  }
});

describe("run outcomes", () => {
  it("metric differences list the original's metrics with reproduced − original", () => {
    assert.deepEqual(metricDifferences({ log_loss: 0.5, accuracy: 0.8 }, { accuracy: 0.75, log_loss: 0.5 }), [
      { name: "accuracy", original: 0.8, reproduced: 0.75, difference: 0.75 - 0.8 },
      { name: "log_loss", original: 0.5, reproduced: 0.5, difference: 0 },
    ]);
    assert.deepEqual(metricDifferences({ accuracy: 0.8 }, {}), []);
  });

  it("metrics sent in events keep finite numbers only", () => {
    assert.deepEqual(finiteMetrics({ accuracy: 0.8, roc_auc: undefined, log_loss: Number.NaN, mae: 1 }), {
      accuracy: 0.8,
      mae: 1,
    });
  });

  it("run ids sort by start time and are valid ids of model.trained", () => {
    const earlier = newRunId(new Date("2024-05-01T12:00:00.123Z"));
    const later = newRunId(new Date("2024-05-01T12:00:01.000Z"));
    assert.match(earlier, /^run-20240501T120000Z-[0-9a-f]{8}$/);
    assert.ok(earlier < later);
    const runId = modelTrainedSchema.shape.runId.safeParse(earlier);
    assert.ok(runId.success);
  });
});
