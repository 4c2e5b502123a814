import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createArtifactStore } from "@gyre/artifacts";
import { type CloudEvent, newEvent } from "@gyre/contracts";
import { type FeatureRow, saveBundle } from "@gyre/model";
import { REPO_ROOT } from "@gyre/service";
import { parseDatasetSpec, withTransforms } from "@gyre/spec";
// The trainer's own training code makes a real model for serving to load, as serving's tests do.
import { trainModel } from "@gyre/trainer";
import { parse } from "csv-parse/sync";
import { type Loop, startLoop } from "../../../e2e/harness.ts";
import { gyre, gyreJson, waitForText } from "./gyre.ts";

const DATASET = "weather";
const WEATHER_CSV = join(REPO_ROOT, "node_modules/vega-datasets/data/seattle-weather.csv");
const CLASSES = ["drizzle", "fog", "rain", "snow", "sun"];

/** seattle-weather.csv typed as the feature store exports it, in date order. */
function weatherRows(): FeatureRow[] {
  const records = parse(readFileSync(WEATHER_CSV, "utf8"), { columns: true }) as Record<string, string>[];
  return records.map((record) => ({
    date: `${record.date}T00:00:00.000Z`,
    precipitation: Number(record.precipitation),
    temp_max: Number(record.temp_max),
    temp_min: Number(record.temp_min),
    wind: Number(record.wind),
    weather: record.weather,
  }));
}

describe("gyre predict against the serving service", () => {
  let loop: Loop;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  let version = 0;

  before(async () => {
    loop = await startLoop(["feature-store", "registry", "serving"]);
    dir = mkdtempSync(join(tmpdir(), "gyre-predict-"));
    env = {
      GYRE_ENV_FILE: "off",
      GYRE_NAMESPACE: loop.namespace,
      NATS_URL: loop.infra.natsUrl,
      REGISTRY_GRPC_ADDR: loop.env.REGISTRY_GRPC_ADDR,
      SERVING_GRPC_ADDR: loop.env.SERVING_GRPC_ADDR,
      FEATURE_STORE_GRPC_ADDR: loop.env.FEATURE_STORE_GRPC_ADDR,
    };
    // The example spec with its transforms (month, a lag, a rolling mean): serving computes them from the raw row
    // and the feature store's history (none here: every row is an entity's first, imputed as training did).
    const example = parseDatasetSpec(readFileSync(join(REPO_ROOT, "examples/seattle-weather.spec.yaml"), "utf8"));
    const spec = { ...example, name: DATASET, model: { ...example.model, epochs: 3 } };
    const { revision } = await loop.specs.apply(spec);
    const rows = withTransforms(spec, weatherRows());
    const cut = Math.floor(rows.length * 0.8);
    const trained = await trainModel({ spec, trainRows: rows.slice(0, cut), holdoutRows: rows.slice(cut), seed: 7 });
    const store = createArtifactStore({ ...loop.infra.s3, bucket: loop.bucket });
    await saveBundle(store, `models/${DATASET}/run-1`, trained.bundle);
    const promoted: CloudEvent[] = [];
    await loop.bus.consume({
      service: "cli-probe",
      events: ["model.promoted"],
      handler: (event) => void promoted.push(event),
    });
    const event = newEvent("model.trained", "cli-test", {
      runId: "run-1",
      dataset: DATASET,
      metrics: { ...trained.metrics },
      championMetrics: null,
      championVersion: null,
      artifactKey: `models/${DATASET}/run-1`,
      snapshot: { id: "snap-1", batches: [{ batchId: "b-1", sha256: "0".repeat(64) }] },
      specRevision: revision,
      backend: trained.backend,
      trigger: { reason: "manual", eventIds: [] },
    });
    await loop.bus.publish(event, DATASET);
    await waitForText(
      () => String(promoted.length),
      (count) => count !== "0",
      30_000,
    );
    version = (promoted[0] as CloudEvent<{ version: number }>).data.version;
    // Serving loads the champion when it hears model.promoted.
    const serving = loop.services.get("serving");
    assert.ok(serving);
    await serving.waitForLog((line) => line.event === "model.swapped" && line.modelVersion === version, 60_000);
  });

  after(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await loop?.close();
  });

  it("predicts one --row of the spec's raw features with the champion and prints the model version", async () => {
    const row = ["date=2015-06-01", "precipitation=0", "temp_max=25", "temp_min=14", "wind=2"];
    const result = await gyre(env, "predict", "--dataset", DATASET, "--row", ...row);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`^model weather version ${version}\\n`));
    assert.match(result.stdout, new RegExp(`\\n1 +(${CLASSES.join("|")}) +0?\\.\\d+ +drizzle=`));
  });

  it("predicts one --row without its date (now)", async () => {
    const row = ["precipitation=0", "temp_max=25", "temp_min=14", "wind=2"];
    const result = await gyre(env, "predict", "--dataset", DATASET, "--row", ...row);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`\\n1 +(${CLASSES.join("|")}) +0?\\.\\d+ +drizzle=`));
  });

  it("predicts the raw rows of a file, ignoring columns the model does not take", async () => {
    const file = join(dir, "days.csv");
    writeFileSync(file, readFileSync(WEATHER_CSV, "utf8").split("\n").slice(0, 6).join("\n"));
    const answer = await gyreJson<{
      modelVersion: string;
      predictions: { label: string; probabilities: Record<string, number> }[];
    }>(env, "predict", "--dataset", DATASET, "--file", file);
    assert.equal(answer.modelVersion, String(version));
    assert.equal(answer.predictions.length, 5);
    for (const prediction of answer.predictions) {
      assert.ok(CLASSES.includes(prediction.label));
      const total = Object.values(prediction.probabilities).reduce((sum, p) => sum + p, 0);
      assert.ok(Math.abs(total - 1) < 1e-3, `probabilities sum to ${total}`);
    }
  });

  it("gyre features get names a dataset the feature store has no rows of", async () => {
    const result = await gyre(env, "features", "get", DATASET, "--at", "2015-06-01");
    assert.equal(result.code, 1);
    assert.match(result.stderr, /NOT_FOUND: .*weather/);
  });

  it("names an unknown feature with the inputs the model takes, and an unknown version with serving's NOT_FOUND", async () => {
    const [unknown, missingVersion] = await Promise.all([
      gyre(
        env,
        "predict",
        "--dataset",
        DATASET,
        "--row",
        "precipitation=0",
        "temp_max=1",
        "temp_min=1",
        "wind=1",
        "humidity=3",
      ),
      gyre(env, "predict", "--dataset", DATASET, "--version", "7", "--row", "precipitation=0"),
    ]);
    assert.equal(unknown.code, 1);
    assert.match(
      unknown.stderr,
      /unknown feature humidity: the model takes \[date\], precipitation, temp_max, temp_min, wind, \[month\]/,
    );
    assert.equal(missingVersion.code, 1);
    assert.match(missingVersion.stderr, /NOT_FOUND: .*weather.*7/);
  });
});
