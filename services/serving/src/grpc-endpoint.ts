import { readFileSync } from "node:fs";
import * as grpc from "@grpc/grpc-js";
import { createGrpcServer, type GrpcServer, type InferenceHandlers, loadProto } from "@gyre/grpc";

export const INFERENCE_PROTO = "inference/grpc_predict_v2.proto";
export const INFERENCE_SERVICE = "inference.GRPCInferenceService";

export interface TlsFiles {
  /** PEM certificate chain and key of the server; both or neither. */
  certPath?: string | undefined;
  keyPath?: string | undefined;
  /** PEM CA bundle that client certificates are checked against. */
  caPath?: string | undefined;
  /** Refuse clients without a certificate signed by the CA (mTLS). */
  requireClientCert: boolean;
}

export class TlsConfigError extends Error {
  override name = "TlsConfigError";
}

/** Plaintext without a certificate; TLS with one; mTLS when client certificates are required. */
export function serverCredentials(tls: TlsFiles): grpc.ServerCredentials {
  if (tls.certPath === undefined && tls.keyPath === undefined) {
    if (tls.requireClientCert || tls.caPath !== undefined) {
      throw new TlsConfigError(
        "SERVING_TLS_CA / SERVING_TLS_CLIENT_AUTH need SERVING_TLS_CERT and SERVING_TLS_KEY too",
      );
    }
    return grpc.ServerCredentials.createInsecure();
  }
  if (tls.certPath === undefined || tls.keyPath === undefined) {
    throw new TlsConfigError("set both SERVING_TLS_CERT and SERVING_TLS_KEY (PEM files), or neither");
  }
  if (tls.requireClientCert && tls.caPath === undefined) {
    throw new TlsConfigError(
      "SERVING_TLS_CLIENT_AUTH=require needs SERVING_TLS_CA, the CA that signs client certificates",
    );
  }
  const read = (name: string, path: string) => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new TlsConfigError(`${name} ${JSON.stringify(path)}: ${(error as Error).message}`);
    }
  };
  return grpc.ServerCredentials.createSsl(
    tls.caPath === undefined ? null : read("SERVING_TLS_CA", tls.caPath),
    [{ cert_chain: read("SERVING_TLS_CERT", tls.certPath), private_key: read("SERVING_TLS_KEY", tls.keyPath) }],
    tls.requireClientCert,
  );
}

/** The inference server (with grpc.health.v1 and reflection), bound; resolves with it and the port. */
export async function startInferenceServer(options: {
  handlers: InferenceHandlers;
  host: string;
  port: number;
  maxMessageBytes: number;
  credentials: grpc.ServerCredentials;
}): Promise<{ server: GrpcServer; port: number }> {
  const server = createGrpcServer({ protos: [INFERENCE_PROTO], maxMessageBytes: options.maxMessageBytes });
  const proto = loadProto(INFERENCE_PROTO);
  server.server.addService(proto.inference.GRPCInferenceService.service, options.handlers);
  const address = options.host.includes(":") && !options.host.startsWith("[") ? `[${options.host}]` : options.host;
  const port = await new Promise<number>((resolve, reject) => {
    server.server.bindAsync(`${address}:${options.port}`, options.credentials, (error, bound) => {
      if (error)
        reject(new Error(`gRPC listen on ${address}:${options.port} failed: ${error.message}`, { cause: error }));
      else resolve(bound);
    });
  });
  return { server, port };
}
