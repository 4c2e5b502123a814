import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import * as grpc from "@grpc/grpc-js";
import type { InferenceClient } from "@gyre/grpc";
import { makeTestCertificates, type TestCertificates } from "@gyre/testkit";
import { inferenceClient, ServingHarness, unary } from "./harness.ts";

const harness = new ServingHarness();
let certs: TestCertificates;

function client(port: number, credentials: grpc.ChannelCredentials): InferenceClient {
  const created = inferenceClient(`127.0.0.1:${port}`, credentials);
  harness.clients.push(created);
  return created;
}

const live = (target: InferenceClient) =>
  unary<{ live: boolean }>(target, "ServerLive", {}).then(
    (response) => response.live,
    (error: grpc.ServiceError) => error.code,
  );

describe("serving: TLS and mTLS", { timeout: 90_000 }, () => {
  before(async () => {
    certs = makeTestCertificates();
    await harness.start([]);
  });
  after(async () => {
    await harness.cleanup();
    certs.cleanup();
  });

  it("with GRPC_TLS_CLIENT_AUTH=require answers clients with a certificate signed by GRPC_TLS_CA only", async () => {
    const serving = await harness.startServing({
      GRPC_TLS_CERT: certs.serverCert,
      GRPC_TLS_KEY: certs.serverKey,
      GRPC_TLS_CA: certs.ca,
      GRPC_TLS_CLIENT_AUTH: "require",
    });
    assert.equal(serving.service.logs.find((line) => line.event === "grpc.listening")?.tls, "mtls");
    const ca = readFileSync(certs.ca);
    const withCertificate = grpc.credentials.createSsl(
      ca,
      readFileSync(certs.clientKey),
      readFileSync(certs.clientCert),
    );
    assert.equal(await live(client(serving.port, withCertificate)), true);
    assert.equal(await live(client(serving.port, grpc.credentials.createSsl(ca))), grpc.status.UNAVAILABLE);
    assert.equal(await live(client(serving.port, grpc.credentials.createInsecure())), grpc.status.UNAVAILABLE);
  });

  it("still reads the older SERVING_TLS_CERT/KEY names, and then refuses plaintext clients", async () => {
    const serving = await harness.startServing({
      SERVING_TLS_CERT: certs.serverCert,
      SERVING_TLS_KEY: certs.serverKey,
    });
    assert.equal(serving.service.logs.find((line) => line.event === "grpc.listening")?.tls, "tls");
    const ca = readFileSync(certs.ca);
    assert.equal(await live(client(serving.port, grpc.credentials.createSsl(ca))), true);
    assert.equal(await live(client(serving.port, grpc.credentials.createInsecure())), grpc.status.UNAVAILABLE);
  });

  it("refuses to start with a certificate but no key, naming both variables", async () => {
    await assert.rejects(
      harness.startServing({ SERVING_TLS_CERT: certs.serverCert }),
      /set both SERVING_TLS_CERT and SERVING_TLS_KEY/,
    );
  });

  it("refuses to start with a key file that cannot be read, naming the variable and the path", async () => {
    await assert.rejects(
      harness.startServing({ GRPC_TLS_CERT: certs.serverCert, GRPC_TLS_KEY: "/nonexistent/server.key" }),
      /GRPC_TLS_KEY=\\"\/nonexistent\/server.key\\": cannot read the PEM file \(no such file\)/,
    );
  });
});
