import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type ArtifactStore, createArtifactStore } from "@gyre/artifacts";
import {
  ArtifactCorruptError,
  ArtifactMissingError,
  BUNDLE_FILES,
  disposeBundle,
  evaluate,
  loadBundle,
  type ModelBundle,
  predict,
  saveBundle,
  selectBackend,
  serializeModel,
} from "@gyre/model";
import { infraFromEnv, uniqueId } from "@gyre/testkit";
import { trainModel } from "../src/train.ts";
import { seattleWeatherRows, seattleWeatherSpec, timeSplit, withModel } from "./seattle-weather.ts";

const { s3 } = infraFromEnv();
const namespace = uniqueId();
const store: ArtifactStore = createArtifactStore({ ...s3, bucket: `gyre-${namespace}` });
const { trainRows, holdoutRows } = timeSplit(seattleWeatherRows());
const prefix = `models/seattle-weather/${namespace}`;
let trained: ModelBundle;
const loaded: ModelBundle[] = [];

before(async () => {
  await selectBackend(process.env.TFJS_BACKEND);
  await store.ensureBucket();
  const run = await trainModel({
    spec: withModel(seattleWeatherSpec(), { epochs: 3 }),
    trainRows,
    holdoutRows,
    run: { runId: "run-1", specRevision: 4, snapshotId: "snap-1", codeVersion: "abc123" },
  });
  trained = run.bundle;
  await saveBundle(store, prefix, trained);
});

after(async () => {
  for (const bundle of [trained, ...loaded]) if (bundle) disposeBundle(bundle);
  await store.removeBucket(true);
});

async function loadCopy(from: string): Promise<ModelBundle> {
  const bundle = await loadBundle(store, from);
  loaded.push(bundle);
  return bundle;
}

/** Copies the saved bundle to a new prefix, replacing or leaving out one object. */
async function copyWith(file: string, body: Buffer | string | null): Promise<string> {
  const copy = `${prefix}-${uniqueId("c")}`;
  for (const name of Object.values(BUNDLE_FILES)) {
    if (name === file && body === null) continue;
    await store.put(
      `${copy}/${name}`,
      name === file && body !== null ? body : await store.getBuffer(`${prefix}/${name}`),
    );
  }
  return copy;
}

/** The saved model.json with its Dense layers renamed to a class that does not exist. */
async function renamedLayerClass(): Promise<string> {
  return (await store.getBuffer(`${prefix}/${BUNDLE_FILES.model}`))
    .toString()
    .replaceAll('"class_name":"Dense"', '"class_name":"Nope"');
}

describe("model bundle in S3", () => {
  test("writes the six objects of a bundle under its prefix", async () => {
    const keys: string[] = [];
    for await (const object of store.list(`${prefix}/`)) keys.push(object.key);
    assert.deepEqual(
      keys.sort(),
      Object.values(BUNDLE_FILES)
        .map((file) => `${prefix}/${file}`)
        .sort(),
    );
  });

  test("a round trip gives identical predictions, weights and metrics", async () => {
    const bundle = await loadCopy(prefix);
    const before = predict(trained, holdoutRows);
    const after = predict(bundle, holdoutRows);
    assert.ok(before.kind === "classification" && after.kind === "classification");
    assert.ok(Buffer.from(before.probabilities.buffer).equals(Buffer.from(after.probabilities.buffer)));
    assert.deepEqual(after.classes, ["drizzle", "fog", "rain", "snow", "sun"]);
    assert.ok((await serializeModel(trained.model)).weights.equals((await serializeModel(bundle.model)).weights));
    assert.deepEqual(evaluate(bundle, holdoutRows).metrics, trained.metadata.metrics);
    assert.deepEqual(bundle.preprocessing, trained.preprocessing);
    assert.deepEqual(bundle.signature, trained.signature);
    assert.deepEqual(bundle.referenceStats, trained.referenceStats);
    assert.deepEqual(bundle.metadata, trained.metadata);
  });

  test("metadata records the run, snapshot, spec revision, code version, backend and tfjs version", async () => {
    const metadata = JSON.parse((await store.getBuffer(`${prefix}/metadata.json`)).toString());
    assert.equal(metadata.runId, "run-1");
    assert.equal(metadata.snapshotId, "snap-1");
    assert.equal(metadata.specRevision, 4);
    assert.equal(metadata.codeVersion, "abc123");
    assert.equal(metadata.dataset, "seattle-weather");
    assert.ok(["tensorflow", "wasm", "cpu"].includes(metadata.backend));
    assert.match(metadata.tfjsVersion, /^\d+\.\d+\.\d+$/);
    assert.ok(typeof metadata.metrics.accuracy === "number");
  });

  test("signature lists the named inputs in order, the [N, F] tensor and the class outputs", async () => {
    const signature = JSON.parse((await store.getBuffer(`${prefix}/signature.json`)).toString());
    assert.deepEqual(
      signature.inputs.map((input: { name: string }) => input.name),
      ["precipitation", "temp_max", "temp_min", "wind", "month", "temp_max_lag1", "precipitation_mean_7"],
    );
    assert.deepEqual(signature.tensorInput.shape, [-1, 7]);
    assert.deepEqual(signature.output.classes, ["drizzle", "fog", "rain", "snow", "sun"]);
  });

  const broken: { name: string; file: string; body: Buffer | string | null; error: RegExp }[] = [
    { name: "missing weights", file: BUNDLE_FILES.weights, body: null, error: /weights\.bin" is missing from bucket/ },
    {
      name: "missing metadata",
      file: BUNDLE_FILES.metadata,
      body: null,
      error: /metadata\.json" is missing from bucket/,
    },
    {
      name: "truncated weights",
      file: BUNDLE_FILES.weights,
      body: Buffer.alloc(10),
      error: /weights\.bin" is corrupt: 10 bytes where/,
    },
    {
      name: "non-JSON model.json",
      file: BUNDLE_FILES.model,
      body: "{nope",
      error: /model\.json" is corrupt: not JSON/,
    },
    {
      name: "preprocessing of another shape",
      file: BUNDLE_FILES.preprocessing,
      body: '{"format":"x"}',
      error: /preprocessing\.json" is corrupt/,
    },
    {
      name: "a layer class tfjs does not know",
      file: BUNDLE_FILES.model,
      body: "unknown layer",
      error: /model\.json" is corrupt: .*Nope/,
    },
  ];
  for (const { name, file, body, error } of broken) {
    test(`a bundle with ${name} fails with a typed error naming the key`, async () => {
      const copy = await copyWith(file, body === "unknown layer" ? await renamedLayerClass() : body);
      await assert.rejects(loadBundle(store, copy), (thrown: unknown) => {
        const typed = body === null ? thrown instanceof ArtifactMissingError : thrown instanceof ArtifactCorruptError;
        assert.ok(typed, `${(thrown as Error).name}: ${(thrown as Error).message}`);
        assert.match((thrown as Error).message, error);
        assert.equal((thrown as ArtifactMissingError | ArtifactCorruptError).key, `${copy}/${file}`);
        return true;
      });
    });
  }
});
