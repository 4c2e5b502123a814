import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import * as grpc from "@grpc/grpc-js";
import type { InferenceClient } from "@gyre/grpc";
import { inferenceClient, ServingHarness, unary } from "./harness.ts";

const harness = new ServingHarness();
const dir = mkdtempSync(join(tmpdir(), "gyre-serving-tls-"));
const file = (name: string) => join(dir, name);

/** A CA, a server certificate for 127.0.0.1/localhost and a client certificate, made with openssl. */
function makeCertificates(): void {
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  openssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-subj",
    "/CN=gyre-test-ca",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
  );
  writeFileSync(file("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  for (const name of ["server", "client"]) {
    openssl(
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-subj",
      `/CN=gyre-${name}`,
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.csr`,
    );
    const extensions = name === "server" ? ["-extfile", "server.ext"] : [];
    openssl(
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-days",
      "1",
      "-out",
      `${name}.pem`,
      ...extensions,
    );
  }
}

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
    makeCertificates();
    await harness.start([]);
  });
  after(async () => {
    await harness.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves TLS with SERVING_TLS_CERT/KEY and refuses plaintext clients", async () => {
    const serving = await harness.startServing({
      SERVING_TLS_CERT: file("server.pem"),
      SERVING_TLS_KEY: file("server.key"),
    });
    assert.equal(serving.service.logs.find((line) => line.event === "grpc.listening")?.tls, "tls");
    const ca = readFileSync(file("ca.pem"));
    assert.equal(await live(client(serving.port, grpc.credentials.createSsl(ca))), true);
    assert.equal(await live(client(serving.port, grpc.credentials.createInsecure())), grpc.status.UNAVAILABLE);
  });

  it("requires a client certificate signed by SERVING_TLS_CA with SERVING_TLS_CLIENT_AUTH=require", async () => {
    const serving = await harness.startServing({
      SERVING_TLS_CERT: file("server.pem"),
      SERVING_TLS_KEY: file("server.key"),
      SERVING_TLS_CA: file("ca.pem"),
      SERVING_TLS_CLIENT_AUTH: "require",
    });
    const ca = readFileSync(file("ca.pem"));
    const withCertificate = grpc.credentials.createSsl(
      ca,
      readFileSync(file("client.key")),
      readFileSync(file("client.pem")),
    );
    assert.equal(await live(client(serving.port, withCertificate)), true);
    assert.equal(await live(client(serving.port, grpc.credentials.createSsl(ca))), grpc.status.UNAVAILABLE);
  });

  it("refuses to start with a certificate but no key, naming both variables", async () => {
    await assert.rejects(
      harness.startServing({ SERVING_TLS_CERT: file("server.pem") }),
      /set both SERVING_TLS_CERT and SERVING_TLS_KEY/,
    );
  });
});
