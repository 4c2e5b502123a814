import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as grpc from "@grpc/grpc-js";
import { checkHealth, grpcChannelCredentials } from "@gyre/grpc";
import { grpcAddressVariable, makeTestCertificates, type TestCertificates } from "@gyre/testkit";
import { gyre } from "../tools/cli/test/gyre.ts";
import { type Loop, startLoop } from "./harness.ts";

// Serving's TLS is tested in services/serving/test/tls.test.ts; these four start once, all with mTLS required.
const SERVICES = ["feature-store", "registry", "trainer", "monitoring"] as const;

let certs: TestCertificates;
let loop: Loop;

const address = (service: string) => {
  const value = loop.env[grpcAddressVariable(service)];
  assert.ok(value, `${service} has no gRPC address`);
  return value;
};
const failureCode = (check: Promise<string>) =>
  check.then(
    (status) => `answered ${status}`,
    (error: grpc.ServiceError) => error.code,
  );

describe("gRPC mTLS on feature-store, registry, trainer and monitoring", { timeout: 240_000 }, () => {
  before(async () => {
    certs = makeTestCertificates();
    loop = await startLoop(
      SERVICES,
      {
        GRPC_TLS_CERT: certs.serverCert,
        GRPC_TLS_KEY: certs.serverKey,
        GRPC_TLS_CA: certs.ca,
        GRPC_TLS_CLIENT_AUTH: "require",
        // Their own calls to each other (trainer -> feature store and registry, monitoring -> registry).
        GRPC_CLIENT_TLS_CA: certs.ca,
        GRPC_CLIENT_TLS_CERT: certs.clientCert,
        GRPC_CLIENT_TLS_KEY: certs.clientKey,
      },
      ["model.promoted"],
    );
  });
  after(async () => {
    await loop?.close();
    certs?.cleanup();
  });

  const clientCredentials = () =>
    grpcChannelCredentials({
      GRPC_CLIENT_TLS_CA: certs.ca,
      GRPC_CLIENT_TLS_CERT: certs.clientCert,
      GRPC_CLIENT_TLS_KEY: certs.clientKey,
    });

  for (const service of SERVICES) {
    it(`${service} answers a client with a certificate and refuses plaintext and certificate-less clients`, async () => {
      const listening = loop.services.get(service)?.logs.find((line) => line.event === "grpc.listening");
      assert.equal(listening?.tls, "mtls");
      assert.equal(await checkHealth(address(service), clientCredentials()), "SERVING");
      assert.equal(
        await failureCode(checkHealth(address(service), grpc.credentials.createInsecure())),
        grpc.status.UNAVAILABLE,
      );
      const withoutCertificate = grpcChannelCredentials({ GRPC_CLIENT_TLS_CA: certs.ca });
      assert.equal(await failureCode(checkHealth(address(service), withoutCertificate)), grpc.status.UNAVAILABLE);
    });
  }

  it("monitoring reaches the registry over mTLS with GRPC_CLIENT_TLS_*", async () => {
    const monitoring = loop.services.get("monitoring");
    assert.ok(monitoring);
    const outcome = await monitoring.waitForLog(
      (line) => line.event === "champions.refreshed" || line.event === "champions.refresh_failed",
      30_000,
    );
    assert.equal(outcome.event, "champions.refreshed", JSON.stringify(outcome));
  });

  it("the gyre CLI calls the registry with --tls-ca/--tls-cert/--tls-key, and names the endpoint without them", async () => {
    const env = {
      GYRE_ENV_FILE: "off",
      GYRE_NAMESPACE: loop.namespace,
      NATS_URL: loop.infra.natsUrl,
      REGISTRY_GRPC_ADDR: address("registry"),
    };
    const tls = ["--tls-ca", certs.ca, "--tls-cert", certs.clientCert, "--tls-key", certs.clientKey];
    const listed = await gyre(env, ...tls, "models", "ls", "--json");
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(JSON.parse(listed.stdout), []);

    const plaintext = await gyre(env, "models", "ls", "--json");
    assert.equal(plaintext.code, 69, plaintext.stderr);
    assert.match(plaintext.stderr, /registry gRPC at 127\.0\.0\.1:\d+ \(REGISTRY_GRPC_ADDR\)/);

    const missingKey = await gyre(env, "--tls-ca", "/nonexistent/ca.pem", "models", "ls");
    assert.equal(missingKey.code, 78, missingKey.stderr);
    assert.match(
      missingKey.stderr,
      /GRPC_CLIENT_TLS_CA \(--tls-ca\)="\/nonexistent\/ca.pem": cannot read the PEM file/,
    );
  });
});
