import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as grpc from "@grpc/grpc-js";
import { makeTestCertificates, type TestCertificates } from "@gyre/testkit";
import {
  checkHealth,
  createGrpcServer,
  type GrpcServer,
  grpcChannelCredentials,
  grpcServerCredentials,
  listen,
  serverTlsMode,
  shutdown,
  TlsConfigError,
} from "../src/index.ts";

let certs: TestCertificates;
const servers: GrpcServer[] = [];

async function serve(credentials: grpc.ServerCredentials): Promise<string> {
  const server = createGrpcServer();
  servers.push(server);
  const port = await listen(server.server, "127.0.0.1", 0, credentials);
  return `127.0.0.1:${port}`;
}

const statusOf = (check: Promise<string>) => check.catch((error: grpc.ServiceError) => error.code);

describe("gRPC TLS from PEM files", { timeout: 60_000 }, () => {
  before(() => {
    certs = makeTestCertificates();
  });
  after(async () => {
    await Promise.all(servers.map((server) => shutdown(server, 100)));
    certs.cleanup();
  });

  test("with client auth required, answers a client with a certificate and refuses plaintext and certificate-less clients", async () => {
    const settings = {
      GRPC_TLS_CERT: certs.serverCert,
      GRPC_TLS_KEY: certs.serverKey,
      GRPC_TLS_CA: certs.ca,
      GRPC_TLS_CLIENT_AUTH: "require" as const,
    };
    assert.equal(serverTlsMode(settings), "mtls");
    const address = await serve(grpcServerCredentials(settings));
    const withCertificate = grpcChannelCredentials({
      GRPC_CLIENT_TLS_CA: certs.ca,
      GRPC_CLIENT_TLS_CERT: certs.clientCert,
      GRPC_CLIENT_TLS_KEY: certs.clientKey,
    });
    assert.equal(await checkHealth(address, withCertificate), "SERVING");
    assert.equal(await statusOf(checkHealth(address, grpcChannelCredentials({}))), grpc.status.UNAVAILABLE);
    const withoutCertificate = grpcChannelCredentials({ GRPC_CLIENT_TLS_CA: certs.ca });
    assert.equal(await statusOf(checkHealth(address, withoutCertificate)), grpc.status.UNAVAILABLE);
  });

  test("without client auth, answers TLS clients that trust the CA and refuses plaintext and untrusting clients", async () => {
    const address = await serve(
      grpcServerCredentials({ GRPC_TLS_CERT: certs.serverCert, GRPC_TLS_KEY: certs.serverKey }),
    );
    assert.equal(await checkHealth(address, grpcChannelCredentials({ GRPC_CLIENT_TLS_CA: certs.ca })), "SERVING");
    assert.equal(await statusOf(checkHealth(address, grpc.credentials.createInsecure())), grpc.status.UNAVAILABLE);
    // Trusting only the system's CAs, the client rejects the test CA's server certificate.
    const systemRoots = grpc.credentials.createSsl();
    assert.equal(await statusOf(checkHealth(address, systemRoots)), grpc.status.UNAVAILABLE);
  });

  test("is plaintext with no GRPC_TLS_* and no GRPC_CLIENT_TLS_*", async () => {
    assert.equal(serverTlsMode({}), "none");
    const address = await serve(grpcServerCredentials({ GRPC_TLS_CLIENT_AUTH: "none" }));
    assert.equal(await checkHealth(address, grpcChannelCredentials({})), "SERVING");
  });

  test("names the variable and the path of a PEM file that cannot be read", () => {
    assert.throws(
      () => grpcServerCredentials({ GRPC_TLS_CERT: "/nonexistent/server.pem", GRPC_TLS_KEY: certs.serverKey }),
      (error: Error) =>
        error instanceof TlsConfigError &&
        error.message === 'GRPC_TLS_CERT="/nonexistent/server.pem": cannot read the PEM file (no such file)',
    );
    assert.throws(
      () => grpcChannelCredentials({ GRPC_CLIENT_TLS_CA: "/nonexistent/ca.pem" }),
      /^TlsConfigError: GRPC_CLIENT_TLS_CA="\/nonexistent\/ca.pem": cannot read the PEM file \(no such file\)$/,
    );
    assert.throws(
      () =>
        grpcServerCredentials(
          { GRPC_TLS_CERT: certs.serverCert, GRPC_TLS_KEY: `${certs.dir}/missing.key` },
          { GRPC_TLS_KEY: "SERVING_TLS_KEY" },
        ),
      /^TlsConfigError: SERVING_TLS_KEY=".*missing.key": cannot read the PEM file \(no such file\)$/,
    );
  });

  test("refuses incomplete or mismatched settings, naming the variables", () => {
    const cases: [Parameters<typeof grpcServerCredentials>[0], RegExp][] = [
      [{ GRPC_TLS_CERT: certs.serverCert }, /set both GRPC_TLS_CERT and GRPC_TLS_KEY/],
      [{ GRPC_TLS_CLIENT_AUTH: "require" }, /GRPC_TLS_CA \/ GRPC_TLS_CLIENT_AUTH need GRPC_TLS_CERT and GRPC_TLS_KEY/],
      [
        { GRPC_TLS_CERT: certs.serverCert, GRPC_TLS_KEY: certs.serverKey, GRPC_TLS_CLIENT_AUTH: "require" },
        /GRPC_TLS_CLIENT_AUTH=require needs GRPC_TLS_CA/,
      ],
      [{ GRPC_TLS_CERT: certs.serverCert, GRPC_TLS_KEY: certs.clientKey }, /GRPC_TLS_CERT=.*GRPC_TLS_KEY=.*mismatch/],
      [{ GRPC_TLS_CERT: certs.serverKey, GRPC_TLS_KEY: certs.serverKey }, /^GRPC_TLS_CERT=.*server.key/],
    ];
    for (const [settings, message] of cases) {
      assert.throws(
        () => grpcServerCredentials(settings),
        (error: Error) => {
          assert.ok(error instanceof TlsConfigError, String(error));
          assert.match(error.message, message);
          return true;
        },
      );
    }
    assert.throws(
      () => grpcChannelCredentials({ GRPC_CLIENT_TLS_CERT: certs.clientCert }),
      /set both GRPC_CLIENT_TLS_CERT and GRPC_CLIENT_TLS_KEY/,
    );
  });
});
