import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import * as grpc from "@grpc/grpc-js";
import { createArtifactStore } from "@gyre/artifacts";
import {
  type InferenceClient,
  loadProto,
  type ModelInferResponse__Output,
  type ModelRegistryClient,
  type RegisterExternalModelResponse__Output,
} from "@gyre/grpc";
import { parsePreprocessing } from "@gyre/model";
import { REPO_ROOT } from "@gyre/service";
import { parseDatasetSpec } from "@gyre/spec";
import { freePort } from "@gyre/testkit";
import { gyre, gyreJson } from "../tools/cli/test/gyre.ts";
import {
  expectedGyre,
  fitDifferences,
  GYRE_SEASONS,
  gyreOnnxPath,
  gyreRequestInputs,
} from "./fixtures/onnx/gyre-fixture.ts";
import { eventually, type Loop, monthlyBatches, startLoop } from "./harness.ts";

// PyTorch → ONNX → Gyre: the classifier e2e/fixtures/onnx/make_model.py trained with PyTorch and exported with
// torch.onnx.export is registered, scored on the holdout, promoted by the policy and served through ModelInfer,
// which answers what PyTorch answered for the same rows. Only Node runs here: the .onnx file and PyTorch's outputs
// are committed (make_model.py makes them again, with the Debian packages python3-torch and python3-onnx).

const DATASET = "seattle-weather";
const FIXTURE = join(REPO_ROOT, "e2e/fixtures/onnx");
const onnxFile = readFileSync(join(FIXTURE, "seattle-weather.onnx"));
const expected = JSON.parse(readFileSync(join(FIXTURE, "expected.json"), "utf8")) as {
  sha256: string;
  classes: string[];
  inputs: Record<string, number[]>;
  probabilities: number[][];
};

const SEASONS_DATASET = "seattle-seasons";
function call<T>(client: grpc.Client, method: string, request: object, timeoutMs = 600_000): Promise<T> {
  return new Promise((resolve, reject) => {
    type Unary = (req: object, options: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: T) => void) => void;
    const fn = (client as unknown as Record<string, Unary>)[method] as Unary;
    fn.call(client, request, { deadline: new Date(Date.now() + timeoutMs) }, (err, res) =>
      err ? reject(err) : resolve(res),
    );
  });
}

describe("an external PyTorch model (ONNX) registered, promoted and served beside Gyre's own", {
  timeout: 900_000,
}, () => {
  let loop: Loop;
  let registry: ModelRegistryClient;
  let serving: InferenceClient;
  let registered: RegisterExternalModelResponse__Output;
  const batches = monthlyBatches("seattle-weather.csv");

  before(async () => {
    // The registry calls the trainer, which starts after it: the trainer's port is chosen here.
    const trainerPort = await freePort();
    loop = await startLoop(
      ["ingestion", "validation", "feature-store", "registry", "trainer", "serving", "monitoring"],
      {
        TRAINER_GRPC_PORT: String(trainerPort),
        TRAINER_GRPC_ADDR: `127.0.0.1:${trainerPort}`,
      },
    );
    // The trainer must not train a model of its own here: the external model is the first one.
    const spec = parseDatasetSpec(readFileSync(join(REPO_ROOT, "examples/seattle-weather.spec.yaml"), "utf8"));
    await loop.specs.apply({ ...spec, training: { ...spec.training, minRows: 1_000_000 } });
    for (const batch of batches) await loop.publishArrived(DATASET, batch.key, batch.csv);
    await eventually("every batch validated or rejected", 300_000, async () =>
      loop.seen("data.validated").length + loop.seen("data.rejected").length >= batches.length ? true : undefined,
    );
    await loop.waitFor("features.updated", loop.seen("data.validated").length, 300_000);
    const credentials = grpc.credentials.createInsecure();
    const { ModelRegistry } = loadProto("registry/registry.proto").gyre.registry.v1;
    registry = new ModelRegistry(String(loop.env.REGISTRY_GRPC_ADDR), credentials);
    const { GRPCInferenceService } = loadProto("inference/grpc_predict_v2.proto").inference;
    serving = new GRPCInferenceService(String(loop.env.SERVING_GRPC_ADDR), credentials);
  });

  /** The CLI's environment for this loop, as a user's would be. */
  const cliEnv = () => ({
    GYRE_ENV_FILE: "off",
    GYRE_NAMESPACE: loop.namespace,
    NATS_URL: loop.infra.natsUrl,
    REGISTRY_GRPC_ADDR: String(loop.env.REGISTRY_GRPC_ADDR),
    OTEL_SDK_DISABLED: "true",
  });

  after(async () => {
    registry?.close();
    serving?.close();
    await loop?.close();
  });

  it("a file that is not an ONNX model is refused with INVALID_ARGUMENT naming the problem", async () => {
    await assert.rejects(
      call(registry, "RegisterExternalModel", {
        dataset: DATASET,
        format: "onnx",
        model: Buffer.from("not an onnx model"),
        actor: "e2e",
      }),
      (error: grpc.ServiceError) =>
        error.code === grpc.status.INVALID_ARGUMENT &&
        /does not fit the spec of dataset "seattle-weather": not a model onnxruntime can load/.test(error.details),
    );
    // a spec with one more feature than the model takes
    const specText = readFileSync(join(REPO_ROOT, "examples/seattle-weather.spec.yaml"), "utf8");
    const humid = parseDatasetSpec(
      specText.replace("  - name: wind\n", "  - name: humidity\n    type: numeric\n  - name: wind\n"),
    );
    await loop.specs.apply({ ...humid, name: "seattle-humid" });
    await assert.rejects(
      call(registry, "RegisterExternalModel", { dataset: "seattle-humid", model: onnxFile, actor: "e2e" }),
      (error: grpc.ServiceError) =>
        error.code === grpc.status.INVALID_ARGUMENT &&
        error.details.startsWith(
          'the ONNX model does not fit the spec of dataset "seattle-humid": missing input "humidity" (the spec\'s model inputs are precipitation, temp_max, temp_min, humidity, wind,',
        ),
    );
    await assert.rejects(
      call(registry, "RegisterExternalModel", {
        dataset: DATASET,
        model: onnxFile,
        preprocessing: "standardise",
        actor: "e2e",
      }),
      (error: grpc.ServiceError) =>
        error.code === grpc.status.INVALID_ARGUMENT && /preprocessing "standardise"/.test(error.details),
    );
    // preprocessing "gyre": the model's input width must be the preprocessing's (7 features for this spec)
    const gyreFile = readFileSync(gyreOnnxPath);
    await assert.rejects(
      call(registry, "RegisterExternalModel", {
        dataset: DATASET,
        model: gyreFile,
        preprocessing: "gyre",
        actor: "e2e",
      }),
      (error: grpc.ServiceError) =>
        error.code === grpc.status.INVALID_ARGUMENT &&
        error.details.startsWith(
          'the ONNX model does not fit the spec of dataset "seattle-weather": input "features" has shape [batch, 11], expected float32 [N, 7] (Gyre\'s preprocessing of the spec\'s model inputs makes 7 features: precipitation, temp_max,',
        ),
    );
    await assert.rejects(
      call(registry, "RegisterExternalModel", {
        dataset: DATASET,
        model: onnxFile,
        preprocessing: "gyre",
        actor: "e2e",
      }),
      (error: grpc.ServiceError) =>
        error.code === grpc.status.INVALID_ARGUMENT &&
        /preprocessing "gyre" takes one input, float32 \[N, 7\] .*; the model has 7 \(precipitation,/.test(
          error.details,
        ),
    );
  });

  it("registers the PyTorch model: scored on a holdout, promoted as the first model by the spec's policy", async () => {
    // through the CLI, as a user does: gyre models register --dataset D --onnx model.onnx
    const cli = cliEnv();
    const missing = await gyre(cli, "models", "register", "--dataset", DATASET, "--onnx", "/nonexistent/model.onnx");
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /--onnx \/nonexistent\/model\.onnx: cannot read the file \(ENOENT\)/);
    registered = await gyreJson<RegisterExternalModelResponse__Output>(
      cli,
      ...["models", "register", "--dataset", DATASET, "--onnx", join(FIXTURE, "seattle-weather.onnx")],
      ...["--actor", "e2e-ml-team", "--reason", "trained in PyTorch"],
    );
    assert.equal(registered.created, true);
    assert.equal(Number(registered.version), 1);
    assert.equal(registered.sha256, expected.sha256);
    assert.equal(registered.promoted, true, registered.decision_reason);
    assert.match(registered.decision_reason, /^promoted: first model/);
    // the trainer scored it on the snapshot's holdout with Gyre's metrics
    assert.ok(
      registered.metrics.accuracy !== undefined && registered.metrics.accuracy > 0.5,
      JSON.stringify(registered.metrics),
    );
    assert.ok(registered.metrics.log_loss !== undefined && Number.isFinite(registered.metrics.log_loss));
    const store = createArtifactStore({ ...loop.infra.s3, bucket: loop.bucket });
    const stored = await store.getBuffer(`${registered.artifact_key}/model.onnx`);
    assert.ok(stored.equals(onnxFile), "model.onnx in S3 is the file as registered");
  });

  it("registering the same file again changes nothing and answers the same version", async () => {
    const again = await call<RegisterExternalModelResponse__Output>(registry, "RegisterExternalModel", {
      dataset: DATASET,
      model: onnxFile,
      actor: "someone-else",
    });
    assert.equal(again.created, false);
    assert.equal(Number(again.version), 1);
  });

  it("lineage marks it external, with the file's sha256, who registered it and the snapshot it was scored on", async () => {
    const lineage = await call<{
      backend: string;
      trigger: { reason: string };
      batches: unknown[];
      external: { format: string; sha256: string; registered_by: string; preprocessing: string } | null;
    }>(registry, "GetLineage", { dataset: DATASET, version: 1 });
    assert.equal(lineage.backend, "onnxruntime");
    assert.equal(lineage.trigger.reason, "external");
    assert.ok(lineage.batches.length > 0);
    assert.deepEqual(
      { ...lineage.external },
      {
        format: "onnx",
        sha256: expected.sha256,
        registered_by: "e2e-ml-team",
        registered_at: (lineage.external as unknown as { registered_at: string }).registered_at,
        preprocessing: "none",
      },
    );
    const model = await call<{ audit: { action: string; actor: string; reason: string }[] }>(registry, "GetModel", {
      dataset: DATASET,
    });
    assert.match(model.audit.at(-1)?.reason ?? "", /^external model registered by e2e-ml-team: promoted/);
  });

  it("a manual promote of it is audited with the actor", async () => {
    const change = await call<{ version: string }>(registry, "Promote", {
      dataset: DATASET,
      version: 1,
      actor: "e2e-operator",
      reason: "keep the PyTorch model",
    });
    assert.equal(Number(change.version), 1);
  });

  it("serving answers ModelInfer with the ONNX champion exactly as PyTorch did (within 1e-5)", async () => {
    const rows = expected.probabilities.length;
    const request = {
      model_name: DATASET,
      id: "pytorch-parity",
      inputs: Object.entries(expected.inputs).map(([name, values]) => ({
        name,
        datatype: "FP32",
        shape: [rows],
        contents: { fp32_contents: values },
      })),
    };
    const response = await eventually("serving loads the ONNX champion", 120_000, async () => {
      const answer = await call<ModelInferResponse__Output>(serving, "ModelInfer", request, 10_000);
      return answer.model_version === "1" ? answer : undefined;
    });
    const probabilities = response.outputs.find((output) => output.name === "probabilities");
    assert.ok(probabilities, `outputs: ${response.outputs.map((output) => output.name).join(", ")}`);
    assert.deepEqual(probabilities.shape.map(Number), [rows, expected.classes.length]);
    const served = probabilities.contents?.fp32_contents ?? [];
    const torch = expected.probabilities.flat();
    assert.equal(served.length, torch.length);
    const worst = Math.max(...torch.map((value, index) => Math.abs((served[index] as number) - value)));
    assert.ok(worst <= 1e-5, `largest difference from PyTorch: ${worst}`);
    const labels = response.outputs.find((output) => output.name === "label");
    const predicted = expected.probabilities.map((row) => expected.classes[row.indexOf(Math.max(...row))] as string);
    assert.deepEqual(
      labels?.contents?.bytes_contents.map((bytes) => Buffer.from(bytes).toString("utf8")),
      predicted,
    );
  });

  it("monitoring loads the ONNX champion and scores a new labelled batch with it (performance.measured)", async () => {
    const monitoring = loop.services.get("monitoring");
    assert.ok(monitoring);
    await eventually("monitoring loads the ONNX champion", 60_000, async () =>
      monitoring.logs.some((line) => line.event === "champion.loaded" && line.version === 1) ? true : undefined,
    );
    // a month after the data: the last month's rows moved to January 2016 (new bytes, so a new batch)
    const last = batches.at(-1);
    assert.ok(last);
    await loop.publishArrived(DATASET, "2016-01", last.csv.replaceAll("2015-12-", "2016-01-"));
    const [measured] = await eventually("performance.measured for the new batch", 120_000, async () => {
      const found = loop.seen("performance.measured");
      return found.length > 0 ? found : undefined;
    });
    const data = measured?.data as {
      modelVersion: number;
      metric: string;
      value: number;
      championHoldoutValue: number;
    };
    assert.equal(data.modelVersion, 1);
    assert.equal(data.metric, "accuracy");
    assert.ok(data.value > 0 && data.value <= 1, String(data.value));
    assert.equal(data.championHoldoutValue, registered.metrics.accuracy);
  });
  it("preprocessing \"gyre\": the trainer fits Gyre's preprocessing on the snapshot's training rows, serving applies it", async () => {
    // a spec with a categorical input (season, after wind), every row in the window (the fixture's fit is on all
    // rows less the latest 20%), no training of its own
    const seasons = GYRE_SEASONS;
    const specText = readFileSync(join(REPO_ROOT, "examples/seattle-weather.spec.yaml"), "utf8");
    const parsed = parseDatasetSpec(
      specText.replace(
        "  - name: wind\n",
        `  - name: season\n    type: categorical\n    categories: [${seasons.join(", ")}]\n  - name: wind\n`,
      ),
    );
    // the spec lists season before wind in the text, so put it after wind as the fixture has it
    const features = parsed.features.filter((feature) => feature.name !== "season");
    const season = parsed.features.find((feature) => feature.name === "season");
    assert.ok(season);
    features.splice(features.findIndex((feature) => feature.name === "wind") + 1, 0, season);
    const { windowRows: _window, ...training } = parsed.training;
    await loop.specs.apply({
      ...parsed,
      name: SEASONS_DATASET,
      features,
      training: { ...training, minRows: 1_000_000 },
    });
    const validatedBefore = loop.seen("data.validated").length;
    const updatedBefore = loop.seen("features.updated").length;
    for (const batch of batches) {
      const header = [...Object.keys(batch.rows[0] ?? {}), "season"];
      const lines = batch.rows.map((row) => {
        const month = Number((row.date ?? "").slice(5, 7));
        return header
          .map((column) => (column === "season" ? seasons[Math.floor((month % 12) / 3)] : row[column]))
          .join(",");
      });
      await loop.publishArrived(SEASONS_DATASET, `seasons-${batch.key}`, [header.join(","), ...lines].join("\n"));
    }
    await eventually("every seasons batch validated", 300_000, async () =>
      loop.seen("data.validated").length - validatedBefore >= batches.length ? true : undefined,
    );
    await loop.waitFor("features.updated", updatedBefore + batches.length, 300_000);
    const cli = cliEnv();
    const answer = await gyreJson<RegisterExternalModelResponse__Output>(
      cli,
      ...["models", "register", "--dataset", SEASONS_DATASET, "--onnx", gyreOnnxPath],
      ...["--preprocessing", "gyre", "--actor", "e2e-ml-team"],
    );
    assert.equal(answer.promoted, true, answer.decision_reason);
    assert.equal(answer.sha256, expectedGyre.sha256);
    // the fit stored next to the model is the one the fixture's Python reproduced
    const store = createArtifactStore({ ...loop.infra.s3, bucket: loop.bucket });
    const stored = parsePreprocessing(
      JSON.parse((await store.getBuffer(`${answer.artifact_key}/preprocessing.json`)).toString("utf8")),
    );
    assert.deepEqual(fitDifferences(stored), []);
    // ModelInfer on raw rows: the season as BYTES, a missing number as NaN
    const _rows = expectedGyre.probabilities.length;
    const request = {
      model_name: SEASONS_DATASET,
      id: "pytorch-parity-gyre",
      inputs: gyreRequestInputs(),
    };
    const response = await eventually("serving loads the gyre ONNX champion", 120_000, async () => {
      const served = await call<ModelInferResponse__Output>(serving, "ModelInfer", request, 10_000);
      return served.model_version === String(answer.version) ? served : undefined;
    });
    const served = response.outputs.find((output) => output.name === "probabilities")?.contents?.fp32_contents ?? [];
    const torch = expectedGyre.probabilities.flat();
    assert.equal(served.length, torch.length);
    const worst = Math.max(...torch.map((value, index) => Math.abs((served[index] as number) - value)));
    assert.ok(worst <= 1e-5, `largest difference from PyTorch: ${worst}`);
  });
});
