import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createArtifactStore } from "@gyre/artifacts";
import { type Bus, connectBus } from "@gyre/bus";
import { type EventType, newEvent, parseEventSubject } from "@gyre/contracts";
import { dropSchema } from "@gyre/db";
import {
  NATS_ACCOUNTS,
  type NatsCredentials,
  natsAuthorizationConfig,
  natsConnectOptions,
  natsProducerUser,
  REPO_ROOT,
  SERVICES,
  serviceSchema,
} from "@gyre/service";
import { parseDatasetSpec, SpecStore } from "@gyre/spec";
import {
  grpcAddressEnv,
  infraFromEnv,
  makeTestCertificates,
  type PrivateNats,
  type RunningService,
  serviceEnv,
  startPrivateNats,
  startService,
  type TestCertificates,
  uniqueId,
} from "@gyre/testkit";
import { DeliverPolicy } from "@nats-io/jetstream";
import { nkeys } from "@nats-io/transport-node";
import { monthlyBatches } from "./harness.ts";

const DATASET = "seattle-weather";
/** Services that call another's gRPC API at start, and so start in the second wave. */
const SECOND_WAVE = new Set(["trainer", "serving", "monitoring"]);

/**
 * The seven real service processes against a nats-server that requires TLS and knows only the generated
 * least-privilege users: each must start (streams, durables, spec bucket, promotion listener) and do its part of
 * the loop with nothing but its own permissions, and the server must log no permission violation.
 */
describe("the services under least-privilege NATS users over TLS", { timeout: 600_000 }, () => {
  const infra = infraFromEnv();
  const namespace = uniqueId("esec");
  const bucket = `gyre-${namespace}`;
  const passwords = Object.fromEntries(NATS_ACCOUNTS.map((account) => [account, randomBytes(12).toString("hex")]));
  const services = new Map<string, RunningService>();
  const seen = new Map<string, Set<string>>();
  let certs: TestCertificates;
  let nats: PrivateNats;
  let operator: Bus;
  /** A producer account (deploy/producers.yaml's kind) that may send batches of DATASET only. */
  const producerUser = natsProducerUser("e2e-station");
  const producerPassword = randomBytes(12).toString("hex");
  let producer: Bus;

  const waitForEvent = async (type: EventType, from: string, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!seen.get(type)?.size) {
      if (Date.now() > deadline) {
        const output = services
          .get(from)
          ?.logs.slice(-20)
          .map((line) => JSON.stringify(line))
          .join("\n");
        throw new Error(`no ${type} within ${timeoutMs} ms; last lines of ${from}:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };

  before(async () => {
    certs = makeTestCertificates();
    const credentials: NatsCredentials = {};
    for (const account of NATS_ACCOUNTS) credentials[account] = { user: account, password: passwords[account] ?? "" };
    // ingestion logs in with an nkey seed file instead, through the same start-up path
    const ingestionKey = nkeys.createUser();
    writeFileSync(join(certs.dir, "ingestion.nk"), new TextDecoder().decode(ingestionKey.getSeed()), { mode: 0o600 });
    credentials.ingestion = { nkey: ingestionKey.getPublicKey() };
    nats = await startPrivateNats({
      tls: { cert: certs.serverCert, key: certs.serverKey, ca: certs.ca },
      extraConfig: natsAuthorizationConfig(namespace, credentials, [
        {
          producer: { name: "e2e-station", datasets: [DATASET] },
          credential: { user: producerUser, password: producerPassword },
        },
      ]),
    });
    const natsEnv = (account: string) => ({
      NATS_URL: nats.url,
      NATS_TLS_CA: certs.ca,
      ...(account === "ingestion"
        ? { NATS_NKEY_SEED_FILE: join(certs.dir, "ingestion.nk") }
        : { NATS_USER: account, NATS_PASSWORD: passwords[account] }),
    });
    operator = await connectBus({
      servers: nats.url,
      namespace,
      name: `e2e-operator-${namespace}`,
      // the services create the streams, with their own permissions
      provision: false,
      ...natsConnectOptions(natsEnv("gyre"), namespace, "gyre"),
    });
    producer = await connectBus({
      servers: nats.url,
      namespace,
      name: `e2e-producer-${namespace}`,
      provision: false,
      ...natsConnectOptions(
        { NATS_TLS_CA: certs.ca, NATS_USER: producerUser, NATS_PASSWORD: producerPassword },
        namespace,
        producerUser,
      ),
    });
    const spec = parseDatasetSpec(readFileSync(join(REPO_ROOT, "examples/seattle-weather.spec.yaml"), "utf8"));
    await (await SpecStore.open(operator.connection, namespace)).apply({ ...spec, name: DATASET });

    const env: NodeJS.ProcessEnv = { ...serviceEnv(infra, namespace, bucket), LOG_LEVEL: "info" };
    for (const wave of [false, true]) {
      const names = SERVICES.filter((name) => SECOND_WAVE.has(name) === wave);
      const started = await Promise.allSettled(names.map((name) => startService(name, { ...env, ...natsEnv(name) })));
      for (const result of started) if (result.status === "fulfilled") services.set(result.value.name, result.value);
      const failed = started.find((result) => result.status === "rejected");
      if (failed) throw failed.reason;
      for (const service of services.values()) Object.assign(env, grpcAddressEnv(service));
    }
    const watch = await operator.jetstream.consumers.get(operator.streams.events, {
      filter_subjects: `${namespace}.>`,
      deliver_policy: DeliverPolicy.All,
    });
    void (async () => {
      for await (const message of await watch.consume()) {
        const parsed = parseEventSubject(message.subject);
        if (parsed) seen.set(parsed.type, (seen.get(parsed.type) ?? new Set()).add(message.subject));
      }
    })().catch(() => undefined);
  });

  after(async () => {
    await Promise.all([...services.values()].map((service) => service.stop()));
    await producer?.close().catch(() => undefined);
    await operator?.close().catch(() => undefined);
    await nats?.destroy();
    certs?.cleanup();
    for (const name of SERVICES) {
      await dropSchema(infra.databaseUrl, serviceSchema(namespace, name)).catch(() => undefined);
    }
    await createArtifactStore({ ...infra.s3, bucket })
      .removeBucket(true)
      .catch(() => undefined);
  });

  it("every service starts and is ready (ingestion logged in with an nkey, the others with passwords)", () => {
    assert.deepEqual([...services.keys()].sort(), [...SERVICES].sort());
    for (const service of services.values()) {
      assert.ok(service.logs.some((line) => line.event === "service.started"));
    }
  });

  it("a batch a producer account sends goes from data.arrived to a registry decision, each step published by its own account", async () => {
    const batches = monthlyBatches("seattle-weather.csv").slice(0, 8);
    for (const batch of batches) {
      const event = newEvent("data.arrived", producerUser, {
        dataset: DATASET,
        batchKey: batch.key,
        format: "csv",
        rows: batch.csv,
      });
      await producer.publish(event, DATASET);
    }
    await waitForEvent("data.ingested", "ingestion", 120_000);
    await waitForEvent("data.validated", "validation", 120_000);
    await waitForEvent("features.updated", "feature-store", 120_000);
    await waitForEvent("model.trained", "trainer", 300_000);
    const deadline = Date.now() + 120_000;
    while (!seen.get("model.promoted")?.size && !seen.get("model.rejected")?.size) {
      if (Date.now() > deadline) throw new Error("no registry decision (model.promoted or model.rejected) in 120 s");
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });

  it("the server logged no permission violation while the services worked", () => {
    assert.doesNotMatch(nats.output(), /Violation/);
  });

  it("the producer is refused on model.promoted, drift.detected and another dataset's data.arrived", async () => {
    for (const [type, dataset] of [
      ["model.promoted", DATASET],
      ["drift.detected", DATASET],
      ["data.arrived", "weather"],
    ] as const) {
      const forged = newEvent("data.arrived", producerUser, {
        dataset,
        batchKey: "forged",
        format: "csv",
        rows: "a\n1",
      });
      await assert.rejects(producer.jetstream.publish(`${namespace}.${type}.${dataset}`, JSON.stringify(forged)), {
        message: new RegExp(
          `Permissions Violation for Publish to "${namespace}\\.${type.replace(".", "\\.")}\\.${dataset}"`,
        ),
      });
    }
    // nothing of it reached the stream (getMessage answers null, or throws "no message found" in older clients)
    const forged = await operator.manager.streams
      .getMessage(operator.streams.events, { last_by_subj: `${namespace}.data.arrived.weather` })
      .catch((error: Error) => (/no message found/.test(error.message) ? null : Promise.reject(error)));
    assert.equal(forged, null);
  });
});
