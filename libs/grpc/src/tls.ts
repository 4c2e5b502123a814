import { readFileSync } from "node:fs";
import { createSecureContext } from "node:tls";
import * as grpc from "@grpc/grpc-js";

/**
 * TLS for gRPC from PEM files named by the environment (`grpcTlsEnv` in @gyre/config):
 * GRPC_TLS_CERT/KEY/CA/CLIENT_AUTH for a service's server, GRPC_CLIENT_TLS_CA/CERT/KEY for its outgoing calls.
 */

export class TlsConfigError extends Error {
  override name = "TlsConfigError";
}

export type ClientAuth = "none" | "require";
export type TlsMode = "none" | "tls" | "mtls";

/** The server side: paths of PEM files, each with the variable that named it (for error messages). */
export interface ServerTlsSettings {
  GRPC_TLS_CERT?: string | undefined;
  GRPC_TLS_KEY?: string | undefined;
  /** CA bundle that client certificates are checked against. */
  GRPC_TLS_CA?: string | undefined;
  /** `require`: refuse clients without a certificate signed by GRPC_TLS_CA (mTLS). */
  GRPC_TLS_CLIENT_AUTH?: ClientAuth | undefined;
}

/** The client side: CA to trust (the system's when unset) and an optional client certificate for mTLS. */
export interface ClientTlsSettings {
  GRPC_CLIENT_TLS_CA?: string | undefined;
  GRPC_CLIENT_TLS_CERT?: string | undefined;
  GRPC_CLIENT_TLS_KEY?: string | undefined;
}

/** Variable names to use in messages when the settings came from other variables (an older alias, a CLI flag). */
export type VariableNames<T> = Partial<Record<keyof T, string>>;

function readPem(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : message;
    throw new TlsConfigError(`${variable}=${JSON.stringify(path)}: cannot read the PEM file (${why})`);
  }
}

/** Fails now, naming the variables, rather than at the first handshake, when the files are not a usable PEM set. */
function checkPems(what: string, pems: { cert?: Buffer; key?: Buffer; ca?: Buffer }): void {
  try {
    createSecureContext(pems);
  } catch (error) {
    throw new TlsConfigError(`${what}: ${(error as Error).message}`);
  }
}

export function serverTlsMode(settings: ServerTlsSettings): TlsMode {
  if (settings.GRPC_TLS_CERT === undefined) return "none";
  return settings.GRPC_TLS_CLIENT_AUTH === "require" ? "mtls" : "tls";
}

/** Plaintext without a certificate; TLS with one; mTLS when GRPC_TLS_CLIENT_AUTH=require. */
export function grpcServerCredentials(
  settings: ServerTlsSettings,
  names: VariableNames<ServerTlsSettings> = {},
): grpc.ServerCredentials {
  const name = (key: keyof ServerTlsSettings) => names[key] ?? key;
  const { GRPC_TLS_CERT: certPath, GRPC_TLS_KEY: keyPath, GRPC_TLS_CA: caPath } = settings;
  const requireClientCert = settings.GRPC_TLS_CLIENT_AUTH === "require";
  if (certPath === undefined && keyPath === undefined) {
    if (requireClientCert || caPath !== undefined) {
      throw new TlsConfigError(
        `${name("GRPC_TLS_CA")} / ${name("GRPC_TLS_CLIENT_AUTH")} need ${name("GRPC_TLS_CERT")} and ${name("GRPC_TLS_KEY")} too`,
      );
    }
    return grpc.ServerCredentials.createInsecure();
  }
  if (certPath === undefined || keyPath === undefined) {
    throw new TlsConfigError(`set both ${name("GRPC_TLS_CERT")} and ${name("GRPC_TLS_KEY")} (PEM files), or neither`);
  }
  if (requireClientCert && caPath === undefined) {
    throw new TlsConfigError(
      `${name("GRPC_TLS_CLIENT_AUTH")}=require needs ${name("GRPC_TLS_CA")}, the CA that signs client certificates`,
    );
  }
  const cert = readPem(name("GRPC_TLS_CERT"), certPath);
  const key = readPem(name("GRPC_TLS_KEY"), keyPath);
  const ca = caPath === undefined ? undefined : readPem(name("GRPC_TLS_CA"), caPath);
  checkPems(
    `${name("GRPC_TLS_CERT")}=${JSON.stringify(certPath)}, ${name("GRPC_TLS_KEY")}=${JSON.stringify(keyPath)}`,
    {
      cert,
      key,
    },
  );
  if (ca) checkPems(`${name("GRPC_TLS_CA")}=${JSON.stringify(caPath)}`, { ca });
  return grpc.ServerCredentials.createSsl(ca ?? null, [{ cert_chain: cert, private_key: key }], requireClientCert);
}

export function clientTlsEnabled(settings: ClientTlsSettings): boolean {
  return (
    settings.GRPC_CLIENT_TLS_CA !== undefined ||
    settings.GRPC_CLIENT_TLS_CERT !== undefined ||
    settings.GRPC_CLIENT_TLS_KEY !== undefined
  );
}

/**
 * Credentials for calls to another service: plaintext when no GRPC_CLIENT_TLS_* is set; TLS trusting
 * GRPC_CLIENT_TLS_CA (the system's CAs when unset); with GRPC_CLIENT_TLS_CERT and _KEY, a client certificate (mTLS).
 */
export function grpcChannelCredentials(
  settings: ClientTlsSettings,
  names: VariableNames<ClientTlsSettings> = {},
): grpc.ChannelCredentials {
  const name = (key: keyof ClientTlsSettings) => names[key] ?? key;
  if (!clientTlsEnabled(settings)) return grpc.credentials.createInsecure();
  const { GRPC_CLIENT_TLS_CA: caPath, GRPC_CLIENT_TLS_CERT: certPath, GRPC_CLIENT_TLS_KEY: keyPath } = settings;
  if ((certPath === undefined) !== (keyPath === undefined)) {
    throw new TlsConfigError(
      `set both ${name("GRPC_CLIENT_TLS_CERT")} and ${name("GRPC_CLIENT_TLS_KEY")} (PEM files), or neither`,
    );
  }
  const ca = caPath === undefined ? null : readPem(name("GRPC_CLIENT_TLS_CA"), caPath);
  if (ca) checkPems(`${name("GRPC_CLIENT_TLS_CA")}=${JSON.stringify(caPath)}`, { ca });
  if (certPath === undefined || keyPath === undefined) return grpc.credentials.createSsl(ca);
  const cert = readPem(name("GRPC_CLIENT_TLS_CERT"), certPath);
  const key = readPem(name("GRPC_CLIENT_TLS_KEY"), keyPath);
  checkPems(
    `${name("GRPC_CLIENT_TLS_CERT")}=${JSON.stringify(certPath)}, ${name("GRPC_CLIENT_TLS_KEY")}=${JSON.stringify(keyPath)}`,
    { cert, key },
  );
  return grpc.credentials.createSsl(ca, key, cert);
}
