import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { connect as connectTcp } from "node:net";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type Bus, type BusOptions, connectBus, consumerStatus, readDlq } from "@gyre/bus";
import type { EventType } from "@gyre/contracts";
import { parseDatasetSpec, SpecStore } from "@gyre/spec";
import {
  makeTestCertificates,
  type PrivateNats,
  startPrivateNats,
  type TestCertificates,
  uniqueId,
} from "@gyre/testkit";
import { DeliverPolicy } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { nkeys } from "@nats-io/transport-node";
import {
  NATS_ACCOUNTS,
  type NatsAccount,
  type NatsConnectEnv,
  type NatsCredentials,
  NatsCredentialsError,
  natsAuthorizationConfig,
  natsConnectOptions,
  natsProducerUser,
  REPO_ROOT,
  SERVICES,
  type ServiceName,
} from "../src/index.ts";

/** The durable consumers each service creates in its main.ts, and the events it publishes. */
const SERVICE_BUS: Record<ServiceName, { consumers: { durable?: string; events: EventType[] }[]; emits: EventType }> = {
  ingestion: { consumers: [{ events: ["data.arrived"] }], emits: "data.ingested" },
  validation: { consumers: [{ events: ["data.ingested"] }], emits: "data.validated" },
  "feature-store": { consumers: [{ events: ["data.validated"] }], emits: "features.updated" },
  trainer: { consumers: [{ events: ["features.updated", "drift.detected"] }], emits: "model.trained" },
  registry: { consumers: [{ events: ["model.trained"] }], emits: "model.promoted" },
  serving: { consumers: [], emits: "predictions.logged" },
  monitoring: {
    consumers: [
      { durable: "monitoring-champions", events: ["model.promoted"] },
      { events: ["data.validated", "predictions.logged"] },
    ],
    emits: "drift.detected",
  },
};

/** Another account's event subject and inbox, for the refusals. */
function neighbour(service: ServiceName): ServiceName {
  return SERVICES[(SERVICES.indexOf(service) + 1) % SERVICES.length] as ServiceName;
}

const namespace = uniqueId("nsec");
let certs: TestCertificates;
let nats: PrivateNats;
let mtlsNats: PrivateNats;
const passwords = Object.fromEntries(SERVICES.map((service) => [service, randomBytes(12).toString("hex")])) as Record<
  ServiceName,
  string
>;
const operatorKey = nkeys.createUser();
/** A producer of deploy/producers.yaml's kind: it may send batches of "weather" only. */
const PRODUCER = { name: "station", datasets: ["weather"] };
const producerPassword = randomBytes(12).toString("hex");
let seedFile: string;
let operator: Bus;
const buses: Bus[] = [];

function serviceEnv(service: ServiceName, extra: NatsConnectEnv = {}): NatsConnectEnv {
  return { NATS_USER: service, NATS_PASSWORD: passwords[service], NATS_TLS_CA: certs.ca, ...extra };
}

async function connectAs(
  account: NatsAccount | string,
  env: NatsConnectEnv,
  server = nats,
  options: Partial<BusOptions> = {},
): Promise<Bus> {
  const bus = await connectBus({
    servers: server.url,
    namespace,
    name: `${account}-test`,
    closeTimeoutMs: 2000,
    ...natsConnectOptions(env, namespace, account),
    ...options,
  });
  buses.push(bus);
  return bus;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

before(async () => {
  certs = makeTestCertificates();
  seedFile = join(certs.dir, "gyre.nk");
  writeFileSync(seedFile, `${new TextDecoder().decode(operatorKey.getSeed())}\n`, { mode: 0o600 });
  const credentials: NatsCredentials = { gyre: { nkey: operatorKey.getPublicKey() } };
  for (const service of SERVICES) credentials[service] = { user: service, password: passwords[service] };
  const authorization = natsAuthorizationConfig(namespace, credentials, [
    { producer: PRODUCER, credential: { user: natsProducerUser(PRODUCER.name), password: producerPassword } },
  ]);
  nats = await startPrivateNats({
    tls: { cert: certs.serverCert, key: certs.serverKey, ca: certs.ca },
    extraConfig: authorization,
  });
  mtlsNats = await startPrivateNats({
    tls: { cert: certs.serverCert, key: certs.serverKey, ca: certs.ca, verify: true },
    extraConfig: authorization,
  });
  operator = await connectAs("gyre", { NATS_NKEY_SEED_FILE: seedFile, NATS_TLS_CA: certs.ca });
  const spec = parseDatasetSpec(readFileSync(join(REPO_ROOT, "examples/weather.spec.yaml"), "utf8"));
  await (await SpecStore.open(operator.connection, namespace)).apply(spec);
});

after(async () => {
  for (const bus of buses.reverse()) await bus.close().catch(() => undefined);
  await nats?.destroy();
  await mtlsNats?.destroy();
  certs?.cleanup();
});

describe("NATS authentication and TLS", () => {
  test("a service connects with user and password over TLS, the server certificate verified with NATS_TLS_CA", async () => {
    const bus = await connectAs("ingestion", serviceEnv("ingestion"));
    assert.equal(bus.connection.info?.tls_required, true);
    const ack = await bus.jetstream.publish(`${namespace}.data.ingested.weather`, "{}");
    assert.equal(ack.stream, bus.streams.events);
  });

  test("the operator connects with an nkey seed file and writes specs", async () => {
    const specs = await SpecStore.open(operator.connection, namespace);
    assert.deepEqual(await specs.list(), ["weather"]);
    assert.equal(operator.connection.info?.tls_required, true);
  });

  test("a wrong password is refused with an authorization error", async () => {
    await assert.rejects(
      connectAs("ingestion", serviceEnv("ingestion", { NATS_PASSWORD: "wrong-password" })),
      (error: Error) =>
        error.name === "BusConnectError" &&
        error.message.startsWith(`NATS ${nats.url} refused the login with user "ingestion": Authorization Violation`) &&
        !error.message.includes("wrong-password"),
    );
  });

  test("no credentials are refused", async () => {
    await assert.rejects(connectAs("ingestion", { NATS_TLS_CA: certs.ca }), {
      message: /refused the login with no credentials: Authorization Violation/,
    });
  });

  test("an nkey the server does not know is refused", async () => {
    const stranger = join(certs.dir, "stranger.nk");
    writeFileSync(stranger, new TextDecoder().decode(nkeys.createUser().getSeed()));
    await assert.rejects(connectAs("gyre", { NATS_NKEY_SEED_FILE: stranger, NATS_TLS_CA: certs.ca }), {
      message: /Authorization Violation/,
    });
  });

  test("a server certificate not signed by a trusted CA is refused", async () => {
    await assert.rejects(connectAs("ingestion", serviceEnv("ingestion", { NATS_TLS_CA: undefined })), {
      name: "BusConnectError",
      message: /^TLS to NATS .* failed: .*certificate.*; NATS_TLS_CA must name the CA/,
    });
  });

  test("plaintext to the TLS-required server gets no further than INFO", async () => {
    const socket = connectTcp(nats.port, "127.0.0.1");
    let received = "";
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("latin1");
    });
    await new Promise<void>((resolve) => socket.once("data", () => resolve()));
    assert.match(received, /"tls_required":true/);
    socket.write(`CONNECT {"user":"ingestion","pass":"${passwords.ingestion}","verbose":false}\r\nPING\r\n`);
    await new Promise<void>((resolve) => socket.once("close", () => resolve()));
    assert.doesNotMatch(received, /PONG/);
  });

  test("with verify: true a client certificate signed by the CA is required", async () => {
    await assert.rejects(connectAs("ingestion", serviceEnv("ingestion"), mtlsNats, { connectTimeoutMs: 3000 }), {
      name: "BusConnectError",
      message: /NATS_TLS_CERT and NATS_TLS_KEY/,
    });
    const bus = await connectAs(
      "ingestion",
      serviceEnv("ingestion", { NATS_TLS_CERT: certs.clientCert, NATS_TLS_KEY: certs.clientKey }),
      mtlsNats,
    );
    const ack = await bus.jetstream.publish(`${namespace}.data.ingested.weather`, "{}");
    assert.equal(ack.stream, bus.streams.events);
  });
});

describe("credential files", () => {
  test("a missing nkey seed file names the variable and the path", () => {
    const path = join(certs.dir, "absent.nk");
    assert.throws(() => natsConnectOptions({ NATS_NKEY_SEED_FILE: path }, namespace, "gyre"), {
      name: "NatsCredentialsError",
      message: `NATS_NKEY_SEED_FILE="${path}": cannot read the file (ENOENT); fix the path`,
    });
  });

  test("a file that is not a user seed is refused without echoing its content", () => {
    const accountSeed = new TextDecoder().decode(nkeys.createAccount().getSeed());
    const path = join(certs.dir, "account.nk");
    writeFileSync(path, accountSeed);
    assert.throws(
      () => natsConnectOptions({ NATS_NKEY_SEED_FILE: path }, namespace, "gyre"),
      (error: Error) =>
        error instanceof NatsCredentialsError &&
        error.message.includes(path) &&
        /not a user seed/.test(error.message) &&
        !error.message.includes(accountSeed),
    );
    writeFileSync(path, "hunter2");
    assert.throws(() => natsConnectOptions({ NATS_NKEY_SEED_FILE: path }, namespace, "gyre"), {
      message: new RegExp(`NATS_NKEY_SEED_FILE="${path}": the file does not hold an nkey user seed`),
    });
  });

  test("a .creds file without the JWT and seed blocks is refused", () => {
    const path = join(certs.dir, "user.creds");
    writeFileSync(path, "not creds\n");
    assert.throws(() => natsConnectOptions({ NATS_CREDS_FILE: path }, namespace, "gyre"), {
      message: new RegExp(`NATS_CREDS_FILE="${path}": not a NATS .creds file`),
    });
  });

  test("two ways of logging in at once are refused", () => {
    assert.throws(() => natsConnectOptions({ NATS_USER: "a", NATS_PASSWORD: "b", NATS_TOKEN: "c" }, namespace, "a"), {
      message: /NATS_USER\/NATS_PASSWORD and NATS_TOKEN are both set/,
    });
  });
});

describe("least-privilege permissions of each service account", () => {
  for (const service of SERVICES) {
    test(`${service}: its own bus work succeeds; another account's events and inbox are refused`, async () => {
      const plan = SERVICE_BUS[service];
      const bus = await connectAs(service, serviceEnv(service)); // provisions the streams, as on start
      const specs = await SpecStore.open(bus.connection, namespace);
      assert.equal((await specs.current("weather")).spec.name, "weather");

      for (const consumer of plan.consumers) {
        const durable = consumer.durable ?? service;
        await bus.consume({ service, durable, events: consumer.events, handler: () => undefined, maxDeliver: 1 });
        // a malformed event: the consumer moves it to <ns>.dlq.<service> and terminates (acks) it
        const seq = (await operator.jetstream.publish(`${namespace}.${consumer.events[0]}.bad-${service}`, "not json"))
          .seq;
        await waitFor(`${durable} settles seq ${seq}`, async () => {
          const status = await consumerStatus(operator, durable);
          return status.ackFloorStreamSeq >= seq && status.ackPending === 0 ? status : undefined;
        });
      }
      if (plan.consumers.length > 0) {
        const letters = await readDlq(operator, service);
        const malformed = letters.filter((letter) => letter.originalSubject.endsWith(`.bad-${service}`));
        assert.deepEqual(
          malformed.map((letter) => letter.originalSubject),
          plan.consumers.map((consumer) => `${namespace}.${consumer.events[0]}.bad-${service}`),
        );
      }

      if (service === "serving") {
        // the promotion listener: an ordered consumer on <ns>.model.*.*, and the routing-settings bucket
        const consumer = await bus.jetstream.consumers.get(bus.streams.events, {
          filter_subjects: `${namespace}.model.*.*`,
          deliver_policy: DeliverPolicy.New,
        });
        const messages = await consumer.consume();
        await operator.jetstream.publish(`${namespace}.model.promoted.weather`, "{}");
        for await (const message of messages) {
          assert.equal(message.subject, `${namespace}.model.promoted.weather`);
          break;
        }
        const routing = await new Kvm(bus.connection).create(`gyre_${namespace}_serving`, { history: 5 });
        await routing.put("weather", "{}");
        assert.equal((await routing.get("weather"))?.string(), "{}");
      }

      const own = await bus.jetstream.publish(`${namespace}.${plan.emits}.weather`, "{}");
      assert.equal(own.stream, bus.streams.events);

      const other = neighbour(service);
      await assert.rejects(bus.jetstream.publish(`${namespace}.${SERVICE_BUS[other].emits}.weather`, "{}"), {
        message: new RegExp(`Permissions Violation for Publish to "${namespace}\\.${SERVICE_BUS[other].emits}`),
      });
      await assert.rejects(bus.jetstream.publish(`${namespace}.dlq.${other}`, "{}"), {
        message: /Permissions Violation for Publish/,
      });
      await assert.rejects(bus.manager.streams.delete(bus.streams.events), { message: /Permissions Violation/ });
      const spy = bus.connection.subscribe(`_INBOX_${other}.${namespace}.>`);
      const closed = await spy.closed;
      assert.match(String(closed), new RegExp(`Permissions Violation for Subscription to "_INBOX_${other}`));
      assert.equal(bus.connection.isClosed(), false);
    });
  }

  test("every account of NATS_ACCOUNTS is covered here", () => {
    assert.deepEqual(
      NATS_ACCOUNTS.filter((account) => account !== "gyre"),
      Object.keys(SERVICE_BUS),
    );
  });
});

describe("a producer account", () => {
  const user = natsProducerUser(PRODUCER.name);
  const connectProducer = () =>
    connectAs(user, { NATS_USER: user, NATS_PASSWORD: producerPassword, NATS_TLS_CA: certs.ca }, nats, {
      provision: false,
    });

  test("publishes data.arrived of its dataset over TLS and gets the PubAck on its own inbox", async () => {
    const bus = await connectProducer();
    const ack = await bus.jetstream.publish(`${namespace}.data.arrived.weather`, "{}");
    assert.equal(ack.stream, bus.streams.events);
    assert.equal(ack.duplicate, false);
  });

  test("is refused on model.promoted, drift.detected, every other event and another dataset's data.arrived", async () => {
    const bus = await connectProducer();
    const forbidden = [
      `${namespace}.model.promoted.weather`,
      `${namespace}.drift.detected.weather`,
      `${namespace}.model.trained.weather`,
      `${namespace}.data.ingested.weather`,
      `${namespace}.data.arrived.seattle-weather`,
      `${namespace}.dlq.ingestion`,
      `other.data.arrived.weather`,
    ];
    for (const subject of forbidden) {
      await assert.rejects(bus.jetstream.publish(subject, "{}"), {
        message: new RegExp(`Permissions Violation for Publish to "${subject.replaceAll(".", "\\.")}"`),
      });
    }
    // nor may it read the events, create a consumer, write a spec or listen on another account's inbox
    await assert.rejects(bus.manager.streams.info(bus.streams.events), { message: /Permissions Violation/ });
    await assert.rejects(SpecStore.open(bus.connection, namespace), { message: /Permissions Violation/ });
    const spy = bus.connection.subscribe(`_INBOX_registry.${namespace}.>`);
    assert.match(String(await spy.closed), /Permissions Violation for Subscription to "_INBOX_registry/);
    const events = bus.connection.subscribe(`${namespace}.>`);
    assert.match(String(await events.closed), /Permissions Violation for Subscription/);
    assert.equal(bus.connection.isClosed(), false);
  });
});
