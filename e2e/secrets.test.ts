import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import * as grpc from "@grpc/grpc-js";
import { createArtifactStore } from "@gyre/artifacts";
import { type Bus, connectBus } from "@gyre/bus";
import { type CloudEvent, type EventType, newEvent, parseEventSubject } from "@gyre/contracts";
import {
  type InferenceClient,
  loadProto,
  type ModelInferResponse__Output,
  type ModelMetadataResponse__Output,
} from "@gyre/grpc";
import {
  NATS_ACCOUNTS,
  type NatsCredentials,
  natsAuthorizationConfig,
  natsConnectOptions,
  REPO_ROOT,
} from "@gyre/service";
import { parseDatasetSpec, SpecStore } from "@gyre/spec";
import {
  grpcAddressEnv,
  infraFromEnv,
  makeTestCertificates,
  type PrivateNats,
  type PrivatePostgres,
  type RunningService,
  startPrivateNats,
  startPrivatePostgres,
  startService,
  type TestCertificates,
  uniqueId,
} from "@gyre/testkit";
import { DeliverPolicy } from "@nats-io/jetstream";
import { eventually, monthlyBatches } from "./harness.ts";
import { type CliRun, type FailedStart, outputOf, runCli, runFailingService } from "./secrets/processes.ts";
import { describeFindings, type KnownSecret, type ProcessOutput, scanOutputs } from "./secrets/scanner.ts";

/**
 * The data path end to end with known credentials: a private PostgreSQL with a password, the S3 server's secret key, a
 * private nats-server that requires TLS and knows only the least-privilege users (one password per service, one for
 * the operator), and gRPC over mTLS. Half the services read their
 * credentials from files (<NAME>_FILE), half from the environment. Then every line every process wrote is searched
 * for every credential, as written and encoded.
 */

const DATASET = "seattle-weather";
const FIRST_WAVE = ["ingestion", "validation", "feature-store", "registry"] as const;
const SECOND_WAVE = ["trainer", "serving", "monitoring"] as const;
/** These read DATABASE_URL, S3_SECRET_KEY and NATS_PASSWORD from files; the rest from the environment. */
const FROM_FILES = new Set(["ingestion", "feature-store", "registry", "monitoring"]);
const WATCHED: EventType[] = ["features.updated", "model.trained", "model.promoted", "model.rejected"];

/** Long enough for the scanner's base64 forms; "/", "+" and "=" make the percent-encoded form differ. */
function knownSecret(prefix: string): string {
  return `${prefix}-${randomBytes(12).toString("hex")}/+=`;
}

function unary<T>(client: InferenceClient, method: "ModelMetadata" | "ModelInfer", request: object): Promise<T> {
  return new Promise((resolve, reject) => {
    const call = client[method] as unknown as (
      req: object,
      cb: (err: grpc.ServiceError | null, res: T) => void,
    ) => void;
    call.call(client, request, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

/** One FP32 [1, F] request in the model's input order, from one real Seattle day. */
async function inferOnce(client: InferenceClient): Promise<ModelInferResponse__Output> {
  const metadata = await unary<ModelMetadataResponse__Output>(client, "ModelMetadata", { name: DATASET });
  const example: Record<string, number> = {
    precipitation: 0,
    temp_max: 12.8,
    temp_min: 5,
    wind: 4.7,
    month: 1,
    temp_max_lag1: 10.6,
    precipitation_mean_7: 2.1,
  };
  const first = metadata.inputs[0];
  const inputs =
    metadata.inputs.length === 1 && first?.shape.length === 2
      ? [
          {
            name: first.name,
            datatype: "FP32",
            shape: [1, Number(first.shape[1])],
            contents: { fp32_contents: Object.values(example) },
          },
        ]
      : metadata.inputs.map((input) => ({
          name: input.name,
          datatype: "FP32",
          shape: [1],
          contents: { fp32_contents: [example[input.name] ?? 0] },
        }));
  return unary<ModelInferResponse__Output>(client, "ModelInfer", { model_name: DATASET, id: "secrets-e2e", inputs });
}

describe("credentials never reach a log: the data path with known PostgreSQL, S3 and NATS secrets", {
  timeout: 600_000,
}, () => {
  const infra = infraFromEnv();
  const namespace = uniqueId("sec");
  const bucket = `gyre-${namespace}`;
  const pgPassword = knownSecret("pg");
  const natsPasswords = Object.fromEntries(
    NATS_ACCOUNTS.map((account) => [account, knownSecret(`nats-${account}`)]),
  ) as Record<string, string>;
  const wrongPgPassword = knownSecret("wrong-pg");
  const wrongNatsPassword = knownSecret("wrong-nats");
  const wrongS3Secret = knownSecret("wrong-s3");
  const urlNatsPassword = knownSecret("url-nats");
  const secrets: KnownSecret[] = [
    { name: "PostgreSQL password", value: pgPassword },
    { name: "S3 secret key", value: infra.s3.secretKey },
    ...Object.entries(natsPasswords).map(([account, value]) => ({ name: `NATS password of ${account}`, value })),
    { name: "wrong PostgreSQL password", value: wrongPgPassword },
    { name: "wrong NATS password", value: wrongNatsPassword },
    { name: "wrong S3 secret key", value: wrongS3Secret },
    { name: "NATS password inside NATS_URL", value: urlNatsPassword },
  ];
  const batches = monthlyBatches("seattle-weather.csv").slice(0, 12);
  const services = new Map<string, RunningService>();
  const stopped = new Map<string, RunningService>();
  const failedStarts: FailedStart[] = [];
  const cliRuns: CliRun[] = [];
  const events = new Map<EventType, CloudEvent[]>(WATCHED.map((type) => [type, []]));
  let secretDir = "";
  let certs: TestCertificates | undefined;
  let nats: PrivateNats | undefined;
  let postgres: PrivatePostgres | undefined;
  let bus: Bus | undefined;
  let specs: SpecStore | undefined;
  let stopWatching = () => {};
  let client: InferenceClient | undefined;
  let commonEnv: NodeJS.ProcessEnv = {};
  let secretFile = (_name: string, _value: string) => "";

  /** A service's environment: its own NATS user, and its credentials inline or, for FROM_FILES, in files. */
  const envOf = (name: string): NodeJS.ProcessEnv => {
    assert.ok(postgres);
    const natsPassword = natsPasswords[name] ?? "";
    return {
      ...commonEnv,
      NATS_USER: name,
      ...(FROM_FILES.has(name)
        ? {
            DATABASE_URL_FILE: secretFile("database-url", postgres.url),
            S3_SECRET_KEY_FILE: secretFile("s3-secret-key", infra.s3.secretKey),
            NATS_PASSWORD_FILE: secretFile(`nats-password-${name}`, natsPassword),
          }
        : { DATABASE_URL: postgres.url, S3_SECRET_KEY: infra.s3.secretKey, NATS_PASSWORD: natsPassword }),
    };
  };
  const seen = (type: EventType) => events.get(type) ?? [];
  const waitFor = (type: EventType, count: number, timeoutMs: number) =>
    eventually(`${count} ${type} events (saw ${seen(type).length})`, timeoutMs, async () =>
      seen(type).length >= count ? seen(type) : undefined,
    );
  const publishArrived = async (batch: { key: string; csv: string }) => {
    assert.ok(bus);
    await bus.publish(
      newEvent("data.arrived", "e2e", { dataset: DATASET, batchKey: batch.key, format: "csv", rows: batch.csv }),
      DATASET,
    );
  };

  before(async () => {
    secretDir = mkdtempSync(join(tmpdir(), "gyre-secrets-e2e-"));
    certs = makeTestCertificates();
    postgres = await startPrivatePostgres({ password: pgPassword });
    nats = await startPrivateNats({
      tls: { cert: certs.serverCert, key: certs.serverKey, ca: certs.ca },
      extraConfig: natsAuthorizationConfig(
        namespace,
        Object.fromEntries(
          NATS_ACCOUNTS.map((account) => [account, { user: account, password: natsPasswords[account] ?? "" }]),
        ) as NatsCredentials,
      ),
    });
    secretFile = (name: string, value: string) => {
      const path = join(secretDir, name);
      writeFileSync(path, `${value}\n`, { mode: 0o600 });
      return path;
    };
    commonEnv = {
      GYRE_NAMESPACE: namespace,
      NATS_URL: nats.url,
      NATS_TLS_CA: certs.ca,
      S3_ENDPOINT: infra.s3.endpoint,
      S3_ACCESS_KEY: infra.s3.accessKey,
      S3_REGION: infra.s3.region,
      S3_BUCKET: bucket,
      OTEL_EXPORTER_OTLP_ENDPOINT: infra.otlpEndpoint,
      METRICS_PORT: "0",
      FEATURE_STORE_GRPC_PORT: "0",
      REGISTRY_GRPC_PORT: "0",
      TRAINER_GRPC_PORT: "0",
      SERVING_GRPC_PORT: "0",
      MONITORING_GRPC_PORT: "0",
      // The most talkative level: every line is one more place a secret could slip into.
      LOG_LEVEL: "trace",
      GRPC_TLS_CERT: certs.serverCert,
      GRPC_TLS_KEY: certs.serverKey,
      GRPC_TLS_CA: certs.ca,
      GRPC_TLS_CLIENT_AUTH: "require",
      GRPC_CLIENT_TLS_CA: certs.ca,
      GRPC_CLIENT_TLS_CERT: certs.clientCert,
      GRPC_CLIENT_TLS_KEY: certs.clientKey,
      // spawnService adds this process's environment: its own credentials (deploy/local's) must not come along.
      DATABASE_URL: "",
      S3_SECRET_KEY: "",
      NATS_PASSWORD: "",
      NATS_TOKEN: "",
    };

    // The operator's account, as `gyre` uses it: it may publish data.arrived, apply specs and read the events; the
    // services create the streams with their own permissions.
    bus = await connectBus({
      servers: nats.url,
      namespace,
      name: `e2e-${namespace}`,
      provision: false,
      ...natsConnectOptions(
        { NATS_USER: "gyre", NATS_PASSWORD: natsPasswords.gyre, NATS_TLS_CA: certs.ca },
        namespace,
        "gyre",
      ),
    });
    specs = await SpecStore.open(bus.connection, namespace);
    const spec = parseDatasetSpec(readFileSync(join(REPO_ROOT, "examples/seattle-weather.spec.yaml"), "utf8"));
    await specs.apply({
      ...spec,
      name: DATASET,
      training: { ...spec.training, retrainEveryRows: 150, minRows: 150, cooldownSeconds: 0 },
      model: { ...spec.model, epochs: 8 },
    });

    for (const wave of [FIRST_WAVE, SECOND_WAVE]) {
      const started = await Promise.allSettled(wave.map((name) => startService(name, envOf(name))));
      for (const result of started) if (result.status === "fulfilled") services.set(result.value.name, result.value);
      const failed = started.find((result) => result.status === "rejected");
      if (failed) throw failed.reason;
      for (const service of services.values()) Object.assign(commonEnv, grpcAddressEnv(service));
    }
    const watch = await bus.jetstream.consumers.get(bus.streams.events, {
      filter_subjects: `${namespace}.>`,
      deliver_policy: DeliverPolicy.All,
    });
    const messages = await watch.consume();
    stopWatching = () => void messages.stop();
    void (async () => {
      for await (const message of messages) {
        const type = parseEventSubject(message.subject)?.type as EventType | undefined;
        if (type) events.get(type)?.push(message.json<CloudEvent>());
      }
    })().catch(() => undefined);
    const servingPort = services.get("serving")?.logs.find((line) => line.event === "grpc.listening")?.port;
    const Inference = loadProto("inference/grpc_predict_v2.proto").inference.GRPCInferenceService;
    client = new Inference(
      `127.0.0.1:${String(servingPort)}`,
      grpc.credentials.createSsl(readFileSync(certs.ca), readFileSync(certs.clientKey), readFileSync(certs.clientCert)),
    );
  });

  after(async () => {
    client?.close();
    await Promise.all([...services.values()].map((service) => service.stop()));
    stopWatching();
    await specs?.destroy().catch(() => undefined);
    await bus?.close();
    await createArtifactStore({ ...infra.s3, bucket })
      .removeBucket(true)
      .catch(() => undefined);
    await nats?.destroy();
    await postgres?.destroy();
    certs?.cleanup();
    if (secretDir) rmSync(secretDir, { recursive: true, force: true });
  });

  it("trains, promotes and serves a model over mTLS with credentials from the environment and from files", async () => {
    for (const batch of batches.slice(0, 8)) await publishArrived(batch);
    await waitFor("features.updated", 8, 180_000);
    const promoted = await waitFor("model.promoted", 1, 180_000);
    const first = promoted[0];
    assert.ok(first);
    const version = String((first.data as { version: number }).version);
    const answer = await eventually(`serving answers with version ${version}`, 60_000, async () => {
      assert.ok(client);
      const response = await inferOnce(client);
      return response.model_version === version ? response : undefined;
    });
    assert.equal(answer.model_name, DATASET);
  });

  it("rides out a PostgreSQL restart while batches are in flight", async () => {
    assert.ok(postgres);
    for (const batch of batches.slice(8)) await publishArrived(batch);
    await postgres.restart({ mode: "fast", downMs: 3000 });
    await waitFor("features.updated", batches.length, 180_000);
    const reported = [...services.values()].some((service) =>
      service.logs.some((line) =>
        /db\.|postgres|database/i.test(`${line.event ?? ""} ${JSON.stringify(line.err ?? "")}`),
      ),
    );
    assert.ok(reported, "some service logged the lost database connections");
  });

  it("names the problem, not the secret, when a service has a wrong PostgreSQL password, NATS password or S3 key", async () => {
    assert.ok(postgres);
    const wrongDatabaseUrl = postgres.url.replace(encodeURIComponent(pgPassword), encodeURIComponent(wrongPgPassword));
    assert.notEqual(wrongDatabaseUrl, postgres.url);
    assert.ok(nats);
    const urlWithPassword = nats.url.replace("://", `://ingestion:${encodeURIComponent(urlNatsPassword)}@`);
    const [badDatabase, badNats, badS3, badNatsUrl] = await Promise.all([
      runFailingService("validation", { ...envOf("validation"), DATABASE_URL: wrongDatabaseUrl }),
      runFailingService("ingestion", {
        ...envOf("ingestion"),
        NATS_PASSWORD_FILE: "",
        NATS_PASSWORD: wrongNatsPassword,
      }),
      runFailingService("feature-store", {
        ...envOf("feature-store"),
        S3_SECRET_KEY_FILE: secretFile("wrong-s3-secret-key", wrongS3Secret),
      }),
      // Credentials inside the URL, as some deployments write them; NATS_USER/NATS_PASSWORD unset.
      runFailingService("ingestion", {
        ...envOf("ingestion"),
        NATS_URL: urlWithPassword,
        NATS_USER: "",
        NATS_PASSWORD_FILE: "",
      }),
    ]);
    failedStarts.push(badDatabase, badNats, badS3, badNatsUrl);
    for (const failed of [badDatabase, badNats, badS3, badNatsUrl]) {
      assert.equal(failed.killed, false, `${failed.name} should stop by itself:\n${failed.stdout}${failed.stderr}`);
      assert.notEqual(failed.exitCode, 0);
    }
    assert.match(`${badDatabase.stdout}${badDatabase.stderr}`, /password authentication failed/);
    assert.match(`${badNats.stdout}${badNats.stderr}`, /authori[sz]ation/i);
    assert.match(`${badS3.stdout}${badS3.stderr}`, /AccessDenied|credentials|SignatureDoesNotMatch/);
    assert.match(`${badNatsUrl.stdout}${badNatsUrl.stderr}`, /authori[sz]ation/i);
  });

  it("the gyre CLI works with the credentials from a file and names a wrong password without printing it", async () => {
    assert.ok(certs);
    const cliEnv = {
      GYRE_NAMESPACE: namespace,
      NATS_URL: commonEnv.NATS_URL,
      NATS_USER: "gyre",
      NATS_PASSWORD_FILE: secretFile("nats-password-gyre", natsPasswords.gyre ?? ""),
      NATS_TLS_CA: certs.ca,
      REGISTRY_GRPC_ADDR: commonEnv.REGISTRY_GRPC_ADDR,
      GRPC_CLIENT_TLS_CA: certs.ca,
      GRPC_CLIENT_TLS_CERT: certs.clientCert,
      GRPC_CLIENT_TLS_KEY: certs.clientKey,
    };
    const [models, datasets, wrong] = await Promise.all([
      runCli(["models", "get", DATASET, "--json"], cliEnv),
      runCli(["datasets", "ls"], cliEnv),
      runCli(["datasets", "ls"], { ...cliEnv, NATS_PASSWORD_FILE: "", NATS_PASSWORD: wrongNatsPassword }),
    ]);
    cliRuns.push(models, datasets, wrong);
    assert.equal(models.exitCode, 0, models.stderr);
    assert.match(models.stdout, /"version"/);
    assert.equal(datasets.exitCode, 0, datasets.stderr);
    assert.match(datasets.stdout, new RegExp(DATASET));
    assert.notEqual(wrong.exitCode, 0);
    assert.match(wrong.stderr, /authori[sz]ation/i);
  });

  it("wrote no secret in any form to any log line of any process", async () => {
    for (const [name, service] of services) {
      await service.stop();
      stopped.set(name, service);
    }
    services.clear();
    const outputs: ProcessOutput[] = [
      ...[...stopped.values()].map((service) => ({ source: service.name, logs: service.logs, text: service.text })),
      ...failedStarts.map((failed, index) =>
        outputOf(`${failed.name} (failing start ${index + 1})`, failed.stdout, failed.stderr),
      ),
      ...cliRuns.map((run) => outputOf(`gyre ${run.args.join(" ")}`, run.stdout, run.stderr)),
      // The servers' own logs too: a client that sent a secret where a user name goes would show up there.
      outputOf("private nats-server", nats?.output() ?? ""),
      outputOf("private PostgreSQL", postgres?.output() ?? ""),
    ];
    const result = scanOutputs(outputs, secrets);
    // To read what was scanned: GYRE_SECRETS_E2E_DUMP=/tmp/scanned.json (it holds no secret when the test passes).
    if (process.env.GYRE_SECRETS_E2E_DUMP)
      writeFileSync(process.env.GYRE_SECRETS_E2E_DUMP, JSON.stringify(outputs, null, 1));
    console.log(`# secrets scan: ${result.lines} lines, ${result.characters} characters, ${outputs.length} processes`);
    assert.deepEqual(result.findings, [], describeFindings(result.findings));
    // A scan that read almost nothing would pass for the wrong reason.
    for (const service of stopped.values()) {
      assert.ok(service.logs.length >= 10, `${service.name} wrote only ${service.logs.length} lines`);
      assert.ok(
        service.logs.some((line) => line.event === "service.stopped"),
        `${service.name} logged its stop`,
      );
    }
    assert.ok(result.lines > 100, `only ${result.lines} lines scanned`);
  });
});
