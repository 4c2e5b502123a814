import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type ArtifactStore, createArtifactStore } from "@gyre/artifacts";
import type { CloudEvent } from "@gyre/contracts";
import { createPool } from "@gyre/db";
import { REPO_ROOT, serviceSchema } from "@gyre/service";
import { parseDatasetSpec } from "@gyre/spec";
import { type Loop, startLoop } from "../../../e2e/harness.ts";
import type { LearningCurve } from "../src/learningCurve.ts";
import { closedPort, gyre, gyreJson, publishTrainedRun, spawnGyre, waitForText } from "./gyre.ts";

const DATASET = "weather";
const WEATHER_CSV = join(REPO_ROOT, "node_modules/vega-datasets/data/seattle-weather.csv");

/** The bound port a service logged (`service.ops_listening`, `grpc.listening`). */
function loggedPort(loop: Loop, service: string, event: string): string {
  const line = loop.services.get(service)?.logs.find((entry) => entry.event === event);
  assert.ok(line?.port, `${service} logged ${event}`);
  return String(line.port);
}

// One installation (namespace, bucket, schemas) for the whole file; the tests build on each other's state.
describe("gyre CLI against real infrastructure", () => {
  let loop: Loop;
  let env: NodeJS.ProcessEnv;
  let store: ArtifactStore;
  let dir: string;
  const decisions: CloudEvent[] = [];

  before(async () => {
    loop = await startLoop(["ingestion", "validation", "registry", "monitoring"]);
    dir = mkdtempSync(join(tmpdir(), "gyre-cli-"));
    const [servingPort, trainerPort] = [await closedPort(), await closedPort()];
    env = {
      GYRE_ENV_FILE: "off",
      GYRE_NAMESPACE: loop.namespace,
      GYRE_ACTOR: "cli-test",
      NATS_URL: loop.infra.natsUrl,
      DATABASE_URL: loop.infra.databaseUrl,
      S3_ENDPOINT: loop.infra.s3.endpoint,
      S3_ACCESS_KEY: loop.infra.s3.accessKey,
      S3_SECRET_KEY: loop.infra.s3.secretKey,
      S3_REGION: loop.infra.s3.region,
      S3_BUCKET: loop.bucket,
      REGISTRY_GRPC_ADDR: loop.env.REGISTRY_GRPC_ADDR,
      MONITORING_GRPC_ADDR: loop.env.MONITORING_GRPC_ADDR,
      SERVING_GRPC_ADDR: `127.0.0.1:${servingPort}`,
      TRAINER_GRPC_ADDR: `127.0.0.1:${trainerPort}`,
      OTEL_SDK_DISABLED: "true",
    };
    // Services of this loop at their bound ports; the others at ports nothing listens on, whatever runs on this host.
    for (const service of [
      "ingestion",
      "validation",
      "feature-store",
      "trainer",
      "registry",
      "serving",
      "monitoring",
    ]) {
      const variable = `${service.toUpperCase().replaceAll("-", "_")}_METRICS_ADDR`;
      const port = loop.services.has(service) ? loggedPort(loop, service, "service.ops_listening") : await closedPort();
      env[variable] = `127.0.0.1:${port}`;
    }
    store = createArtifactStore({ ...loop.infra.s3, bucket: loop.bucket });
    await loop.bus.consume({
      service: "cli-probe",
      events: ["model.promoted", "model.rejected"],
      handler: (event) => {
        decisions.push(event);
      },
    });
  });

  after(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await loop?.close();
  });

  it("datasets apply stores a revision, and applying it again changes nothing", async () => {
    const first = await gyre(env, "datasets", "apply", "examples/seattle-weather.spec.yaml", "--name", DATASET);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /dataset weather: applied revision \d+/);
    const again = await gyreJson<{ changed: boolean; revision: number }>(
      env,
      ...["datasets", "apply", "examples/seattle-weather.spec.yaml", "--name", DATASET],
    );
    assert.equal(again.changed, false);
    assert.equal(again.revision, (await loop.specs.current(DATASET)).revision);
  });

  it("datasets apply of an invalid spec lists every problem and exits 1", async () => {
    const file = join(dir, "bad.yaml");
    writeFileSync(
      file,
      "name: Bad Name\neventTime: date\nfeatures: []\nlabel: {name: y, type: categorical, classes: []}\nbogus: 1\n",
    );
    const result = await gyre(env, "datasets", "apply", file);
    assert.equal(result.code, 1);
    for (const fragment of [
      'name: dataset "Bad Name"',
      "label.classes",
      "training: is required",
      'unknown field "bogus"',
    ]) {
      assert.ok(result.stderr.includes(fragment), `${result.stderr} lacks ${fragment}`);
    }
    assert.deepEqual(await loop.specs.list(), [DATASET]);
  });

  it("datasets ls, get and infer show and draft specs; get of an unknown dataset names it", async () => {
    const draft = join(dir, "draft.yaml");
    const [list, yaml, revision, unknown, inferred] = await Promise.all([
      gyreJson<{ dataset: string; label: string }[]>(env, "datasets", "ls"),
      gyre(env, "datasets", "get", DATASET),
      gyreJson<{ revision: number; spec: { name: string } }>(env, "datasets", "get", DATASET, "--revision", "1"),
      gyre(env, "datasets", "get", "no-such-set"),
      gyre(env, "datasets", "infer", WEATHER_CSV, "--name", "draft", "--out", draft),
    ]);
    assert.deepEqual(
      list.map((entry) => [entry.dataset, entry.label]),
      [[DATASET, "weather"]],
    );
    assert.equal(yaml.code, 0, yaml.stderr);
    assert.deepEqual(parseDatasetSpec(yaml.stdout), (await loop.specs.current(DATASET)).spec);
    assert.equal(revision.spec.name, DATASET);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /dataset "no-such-set" has no spec in namespace/);
    assert.equal(inferred.code, 0, inferred.stderr);
    const drafted = parseDatasetSpec(readFileSync(draft, "utf8"));
    assert.equal(drafted.name, "draft");
    assert.equal(drafted.label.name, "weather");
  });

  it("ingest sends batches inline and through S3 and summarises validated and rejected ones", async () => {
    const lines = readFileSync(WEATHER_CSV, "utf8").trim().split("\n");
    // 80 rows; rows 40-79 get an unknown weather class, so the second batch of 40 is rejected.
    const corrupted = [
      lines[0],
      ...lines.slice(1, 41),
      ...lines.slice(41, 81).map((line) => line.replace(/,[a-z]+$/, ",hail")),
    ];
    const file = join(dir, "corrupted.csv");
    writeFileSync(file, `${corrupted.join("\n")}\n`);
    type Summary = {
      totals: { batches: number; validated: number; rejected: number; uploaded: number; pending: number };
      batches: { batchKey: string; via: string; outcome?: { kind: string; reason?: string } }[];
    };
    const [whole, viaS3] = await Promise.all([
      gyreJson<Summary>(env, "ingest", WEATHER_CSV, "--dataset", DATASET, "--batch-rows", "500"),
      gyreJson<Summary>(env, "ingest", file, "--dataset", DATASET, "--batch-rows", "40", "--max-inline-bytes", "1000"),
    ]);
    assert.deepEqual(whole.totals, { ...whole.totals, batches: 3, validated: 3, rejected: 0, uploaded: 0, pending: 0 });
    assert.deepEqual(
      whole.batches.map((batch) => batch.batchKey),
      ["seattle-weather.csv-00000", "seattle-weather.csv-00001", "seattle-weather.csv-00002"],
    );
    assert.deepEqual(viaS3.totals, { ...viaS3.totals, batches: 2, validated: 1, rejected: 1, uploaded: 2, pending: 0 });
    assert.match(viaS3.batches[0]?.via ?? "", new RegExp(`^s3://${loop.bucket}/incoming/${DATASET}/[0-9a-f]{64}$`));
    assert.match(viaS3.batches[1]?.outcome?.reason ?? "", /invalid share 1 .*maxInvalidShare/);
  });

  it("ingest reports a batch ingestion refuses, and ingest into an unknown dataset names it", async () => {
    const file = join(dir, "twice.csv");
    writeFileSync(file, "date,date,weather\n2012-01-01,2012-01-01,sun\n");
    const [refused, unknown] = await Promise.all([
      gyre(env, "ingest", file, "--dataset", DATASET, "--timeout", "30s"),
      gyre(env, "ingest", WEATHER_CSV, "--dataset", "nowhere"),
    ]);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stdout, /twice\.csv-00000 +1 +refused by ingestion +.*names column "date" twice/);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /dataset "nowhere" has no spec/);
  });

  it("models ls, get, promote, rollback and lineage work the registry; promoting a missing version prints NOT_FOUND", async () => {
    const revision = (await loop.specs.current(DATASET)).revision;
    const base = { dataset: DATASET, specRevision: revision };
    await publishTrainedRun(loop.bus, store, {
      ...base,
      runId: "run-1",
      metrics: { accuracy: 0.7, log_loss: 0.8 },
      championMetrics: null,
      championVersion: null,
    });
    await waitForText(
      () => decisions.map((event) => event.id).join(" "),
      (ids) => ids.includes(`promoted-${DATASET}-1`),
      30_000,
    );
    await publishTrainedRun(loop.bus, store, {
      ...base,
      runId: "run-2",
      metrics: { accuracy: 0.8, log_loss: 0.7 },
      championMetrics: { accuracy: 0.7, log_loss: 0.8 },
      championVersion: 1,
    });
    await waitForText(
      () => decisions.map((event) => event.id).join(" "),
      (ids) => ids.includes(`promoted-${DATASET}-2`),
      30_000,
    );

    const [list, table, lineage, missing] = await Promise.all([
      gyreJson<{ dataset: string; champion_version: string }[]>(env, "models", "ls"),
      gyre(env, "models", "get", DATASET),
      gyre(env, "models", "lineage", DATASET, "1"),
      gyre(env, "models", "promote", DATASET, "9", "--reason", "try"),
    ]);
    assert.deepEqual(list, [{ ...list[0], dataset: DATASET, champion_version: "2" }]);
    assert.match(table.stdout, /v2 +champion +champion +accuracy=0\.8 log_loss=0\.7 +v1: accuracy=0\.7/);
    assert.match(lineage.stdout, /run: +run-1/);
    assert.match(lineage.stdout, /run-1-batch-1 +0{63}1/);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /NOT_FOUND: .*weather.*9/);

    const promoted = await gyre(env, "models", "promote", DATASET, "1", "--reason", "v2 regressed", "--actor", "alice");
    assert.equal(promoted.code, 0, promoted.stderr);
    assert.match(promoted.stdout, /champion v2 -> v1/);
    const rolledBack = await gyre(env, "models", "rollback", DATASET, "--reason", "false alarm");
    assert.match(rolledBack.stdout, /champion v1 -> v2/);
    const model = await gyreJson<{ aliases: Record<string, string>; audit: { action: string; actor: string }[] }>(
      env,
      ...["models", "get", DATASET],
    );
    assert.equal(model.aliases.champion, "2");
    assert.deepEqual(
      model.audit.slice(-2).map((entry) => [entry.action, entry.actor]),
      [
        ["manual-promote", "alice"],
        ["rollback", "cli-test"],
      ],
    );
  });

  it("runs ls, get and compare read the registry's runs; an unknown run is NOT_FOUND", async () => {
    const [list, run, compare, unknown] = await Promise.all([
      gyreJson<{ run_id: string }[]>(env, "runs", "ls", DATASET),
      gyre(env, "runs", "get", "run-2"),
      gyreJson<{ metrics: { name: string; better: string; difference: number }[] }>(
        env,
        "runs",
        "compare",
        "run-1",
        "run-2",
      ),
      gyre(env, "runs", "get", "run-404"),
    ]);
    assert.deepEqual(list.map((entry) => entry.run_id).sort(), ["run-1", "run-2"]);
    assert.match(run.stdout, /metrics: +accuracy=0\.8 log_loss=0\.7/);
    const accuracy = compare.metrics.find((metric) => metric.name === "accuracy");
    assert.equal(accuracy?.better, "b");
    assert.ok(Math.abs((accuracy?.difference ?? 0) - 0.1) < 1e-9);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /NOT_FOUND: .*run-404/);
  });

  it("metrics and drift read monitoring; drift report without a report says so", async () => {
    const [drift, report, byId] = await Promise.all([
      gyre(env, "drift", "ls", DATASET),
      gyre(env, "drift", "report", DATASET),
      gyre(env, "drift", "report", DATASET, "--id", "batches-404"),
    ]);
    assert.equal(drift.code, 0, drift.stderr);
    assert.match(drift.stdout, /no drift found for dataset weather/);
    assert.equal(report.code, 1);
    assert.match(report.stderr, /dataset weather has no drift report yet/);
    assert.equal(byId.code, 1);
    assert.match(byId.stderr, /NOT_FOUND: .*batches-404/);
  });

  it("metrics: cumulative rows-weighted prequential accuracy per version, served accuracy, runs, decisions, drift", async () => {
    // Monitoring's records of a short history: three scored batches (v1, v1, v2), one drift between the second and
    // the third, a batch left unscored, and four logged answers of which three were labelled (two correctly).
    const db = createPool({
      connectionString: loop.infra.databaseUrl,
      schema: serviceSchema(loop.namespace, "monitoring"),
    });
    const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 12, minute));
    const batches = [
      { id: "b-1", version: 1, value: 0.8, rows: 100, at: at(1) },
      { id: "b-2", version: 1, value: 0.6, rows: 50, at: at(2) },
      { id: "b-3", version: 2, value: 0.9, rows: 150, at: at(4) },
    ];
    try {
      for (const batch of batches) {
        await db.query(
          `INSERT INTO prequential (dataset, batch_id, model_version, metric, value, champion_holdout_value, rows,
             performance_drift, measured_at) VALUES ($1, $2, $3, 'accuracy', $4, 0.85, $5, false, $6)`,
          [DATASET, batch.id, batch.version, batch.value, batch.rows, batch.at],
        );
      }
      await db.query(
        `INSERT INTO drift_checks (dataset, id, kind, source, status, event_id, model_version, window_rows, share,
           share_threshold, correction, features, checked_at)
         VALUES ($1, 'batches-9', 'data', 'batches', 'published', 'drift-x', 1, 50, 0.6, 0.3, 'bonferroni', '[]', $2)`,
        [DATASET, at(3)],
      );
      await db.query(
        `INSERT INTO unscored_batches (dataset, batch_id, model_version, run_id, reason) VALUES ($1, 'b-4', 2, 'run-b',
           'champion version 2 (run run-b) trained on batch b-4')`,
        [DATASET],
      );
      for (const [id, predicted] of [
        ["r-1", "rain"],
        ["r-2", "sun"],
        ["r-3", "sun"],
        ["r-4", "fog"],
      ]) {
        await db.query(
          `INSERT INTO served_predictions (dataset, request_id, role, model_version, predicted, served_at)
           VALUES ($1, $2, 'champion', 2, $3, $4)`,
          [DATASET, id, predicted, at(5)],
        );
      }
      for (const [id, label] of [
        ["r-1", "rain"],
        ["r-2", "sun"],
        ["r-3", "rain"],
        ["nobody", "sun"],
      ]) {
        await db.query(
          "INSERT INTO served_labels (dataset, request_id, label, event_id) VALUES ($1, $2, $3, 'labels-1')",
          [DATASET, id, label],
        );
      }
      await db.query(
        "INSERT INTO label_counts (dataset, received, duplicates, conflicting, late) VALUES ($1, 5, 1, 0, 0)",
        [DATASET],
      );
    } finally {
      await db.end();
    }

    const [metrics, model, runs, table] = await Promise.all([
      gyreJson<LearningCurve>(env, "metrics", DATASET),
      gyreJson<{ audit: { action: string }[] }>(env, "models", "get", DATASET),
      gyreJson<unknown[]>(env, "runs", "ls", DATASET, "--limit", "1000"),
      gyre(env, "metrics", DATASET),
    ]);
    assert.equal(metrics.metric, "accuracy");
    // (0.8·100 + 0.6·50 + 0.9·150) / 300 = 245 / 300.
    assert.ok(Math.abs((metrics.prequential.cumulative ?? 0) - 245 / 300) < 1e-12);
    assert.deepEqual(
      metrics.prequential.points.map((point) => [point.batchId, point.cumulative, point.retrained, point.drift]),
      [
        ["b-1", 0.8, false, false],
        ["b-2", (80 + 30) / 150, false, false],
        ["b-3", 245 / 300, true, true],
      ],
    );
    assert.deepEqual(metrics.prequential.perVersion, [
      { modelVersion: 1, batches: 2, rows: 150, value: 110 / 150 },
      { modelVersion: 2, batches: 1, rows: 150, value: 0.9 },
    ]);
    assert.deepEqual(
      metrics.prequential.unscored.map((batch) => [batch.batchId, batch.modelVersion]),
      [["b-4", 2]],
    );
    assert.deepEqual(metrics.served.perVersion, [
      { modelVersion: 2, role: "champion", logged: 4, labelled: 3, correct: 2, accuracy: 2 / 3 },
    ]);
    assert.deepEqual(metrics.served.labels, {
      received: 5,
      duplicates: 1,
      conflicting: 0,
      late: 0,
      unmatched: 1,
      unlabelled: 1,
    });
    assert.equal(metrics.runs.total, runs.length);
    assert.ok(runs.length >= 2);
    assert.equal(
      metrics.promotions,
      model.audit.filter((entry) => entry.action === "promote" || entry.action === "manual-promote").length,
    );
    assert.equal(metrics.rejections, model.audit.filter((entry) => entry.action === "reject").length);
    assert.ok(metrics.promotions >= 1);
    assert.equal(metrics.driftEvents, 1);

    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /prequential accuracy 0\.8167 over 300 rows of 3 batches/);
    // The curve: one line per batch, the retrain and the drift marked on the third.
    assert.match(table.stdout, /^ {5}v1 █{24}·{6} 0\.800 {2}cum 0\.800 {2}b-1$/m);
    assert.match(table.stdout, /^ {2}RD v2 █{27}·{3} 0\.900 {2}cum 0\.817 {2}b-3$/m);
    assert.match(
      table.stdout,
      /labels: received 5, duplicates 1 \(conflicting 0\), late 0, unmatched 1, predictions unlabelled 1/,
    );
  });

  it("predict and runs reproduce name the unreachable serving and trainer addresses", async () => {
    const [predict, reproduce, noRows] = await Promise.all([
      gyre(env, "predict", "--dataset", DATASET, "--row", "precipitation=0", "temp_max=12"),
      gyre(env, "runs", "reproduce", "run-1"),
      gyre(env, "predict", "--dataset", DATASET),
    ]);
    assert.equal(predict.code, 69);
    assert.match(
      predict.stderr,
      new RegExp(`serving gRPC at ${env.SERVING_GRPC_ADDR} \\(SERVING_GRPC_ADDR\\) is unreachable.*npx gyre up`),
    );
    assert.equal(reproduce.code, 69);
    assert.match(reproduce.stderr, /trainer gRPC at .* \(TRAINER_GRPC_ADDR\) is unreachable/);
    assert.equal(noRows.code, 1);
    assert.match(noRows.stderr, /--row feature=value .* or with --file/);
  });

  it("status shows service health, the champion per dataset, and backlog and DLQ per consumer", async () => {
    type Status = {
      services: { service: string; ready: boolean }[];
      datasets: { dataset: string; champion: { version: number } | null; lastTraining: { runId: string } | null }[];
      consumers: { consumer: string; pending: number; dlq: number }[];
    };
    const status = await gyreJson<Status>(env, "status");
    const ready = status.services.filter((entry) => entry.ready).map((entry) => entry.service);
    assert.deepEqual(ready, ["ingestion", "validation", "registry", "monitoring"]);
    assert.deepEqual(
      status.datasets.map((entry) => [entry.dataset, entry.champion?.version]),
      [[DATASET, 2]],
    );
    assert.ok(status.datasets[0]?.lastTraining?.runId.startsWith("run-"));
    const ingestion = status.consumers.find((entry) => entry.consumer === "ingestion");
    assert.deepEqual({ pending: ingestion?.pending, dlq: ingestion?.dlq }, { pending: 0, dlq: 1 });
    const human = await gyre(env, "status");
    assert.match(human.stdout, /trainer +down/);
  });

  it("up starts services with prefixed logs, skips missing ones, and stops them on Ctrl-C", async () => {
    // Services not in this checkout yet are asked for too, to see them skipped.
    const missing = ["trainer", "serving", "feature-store"].filter(
      (service) => !existsSync(join(REPO_ROOT, "services", service, "src/main.ts")),
    );
    const up = spawnGyre({ ...env, METRICS_PORT: "0" }, "up", "--only", ["ingestion", ...missing].join(","));
    await waitForText(up.output, (text) => /ingestion +\| .*started +event=service\.started/.test(text), 60_000);
    for (const service of missing) {
      assert.match(up.output(), new RegExp(`${service} +\\| skipped: services/${service}/src/main.ts does not exist`));
    }
    up.child.kill("SIGINT");
    const code = await new Promise((resolve) => up.child.once("exit", resolve));
    assert.equal(code, 0, up.output());
    assert.match(up.output(), /ingestion +\| .*stopped +event=service\.stopped/);
    assert.match(up.output(), /all services stopped/);
  });

  it("an unreachable NATS, a bad variable and an unknown service are named with what to do", async () => {
    const port = await closedPort();
    const [nats, upNats, config, only] = await Promise.all([
      gyre({ ...env, NATS_URL: `nats://127.0.0.1:${port}` }, "datasets", "ls"),
      gyre({ ...env, NATS_URL: `nats://127.0.0.1:${port}` }, "up"),
      gyre({ ...env, GYRE_NAMESPACE: "Bad NS" }, "models", "ls"),
      gyre(env, "up", "--only", "ingestion,billing"),
    ]);
    for (const result of [nats, upNats]) {
      assert.equal(result.code, 69);
      assert.match(
        result.stderr,
        new RegExp(`NATS at nats://127.0.0.1:${port} \\(NATS_URL\\) is unreachable.*bash deploy/local/up\\.sh`),
      );
    }
    assert.equal(config.code, 78);
    assert.match(config.stderr, /GYRE_NAMESPACE="Bad NS"/);
    assert.equal(only.code, 1);
    assert.match(only.stderr, /--only "ingestion,billing": services are ingestion, validation, feature-store/);
  });
});
