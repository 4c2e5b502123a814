import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Paths of PEM files made for one test: a CA, a server certificate and a client certificate signed by it. */
export interface TestCertificates {
  dir: string;
  ca: string;
  caKey: string;
  /** Valid for IP 127.0.0.1, DNS localhost and the extra DNS names asked for. */
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** Removes `dir` and everything in it. */
  cleanup(): void;
}

const DNS_NAME = /^[A-Za-z0-9*]([A-Za-z0-9.-]*[A-Za-z0-9])?$/;

/**
 * Makes a throw-away CA (CN gyre-test-ca), a server certificate (CN gyre-server) and a client certificate
 * (CN gyre-client) with openssl, valid for one day, P-256 keys. Files go to `dir` (created if missing) or to a new
 * temporary directory.
 */
export function makeTestCertificates(dir?: string, extraDnsNames: readonly string[] = []): TestCertificates {
  for (const name of extraDnsNames) {
    if (!DNS_NAME.test(name))
      throw new Error(`DNS name ${JSON.stringify(name)}: expected letters, digits, "." and "-"`);
  }
  const target = dir ?? mkdtempSync(join(tmpdir(), "gyre-certs-"));
  mkdirSync(target, { recursive: true });
  const file = (name: string) => join(target, name);
  const openssl = (...args: string[]) => {
    try {
      execFileSync("openssl", args, { cwd: target, stdio: "pipe" });
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
      throw new Error(`openssl ${args[0]} failed: ${stderr || (error as Error).message}`, { cause: error });
    }
  };
  const key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

  openssl("req", "-x509", ...key, "-days", "1", "-subj", "/CN=gyre-test-ca", "-keyout", "ca.key", "-out", "ca.pem");
  const altNames = ["IP:127.0.0.1", "DNS:localhost", ...extraDnsNames.map((name) => `DNS:${name}`)];
  writeFileSync(file("server.ext"), `subjectAltName=${altNames.join(",")}\nextendedKeyUsage=serverAuth\n`);
  writeFileSync(file("client.ext"), "extendedKeyUsage=clientAuth\n");
  for (const name of ["server", "client"]) {
    openssl("req", ...key, "-subj", `/CN=gyre-${name}`, "-keyout", `${name}.key`, "-out", `${name}.csr`);
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
      "-extfile",
      `${name}.ext`,
      "-out",
      `${name}.pem`,
    );
  }
  return {
    dir: target,
    ca: file("ca.pem"),
    caKey: file("ca.key"),
    serverCert: file("server.pem"),
    serverKey: file("server.key"),
    clientCert: file("client.pem"),
    clientKey: file("client.key"),
    cleanup: () => rmSync(target, { recursive: true, force: true }),
  };
}
