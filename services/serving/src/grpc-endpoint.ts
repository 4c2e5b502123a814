import type * as grpc from "@grpc/grpc-js";
import {
  createGrpcServer,
  type GrpcServer,
  grpcServerCredentials,
  type InferenceHandlers,
  listen,
  loadProto,
  type ServerTlsSettings,
  serverTlsMode,
  type TlsMode,
  type VariableNames,
} from "@gyre/grpc";

export const INFERENCE_PROTO = "inference/grpc_predict_v2.proto";
export const INFERENCE_SERVICE = "inference.GRPCInferenceService";

/** SERVING_TLS_* are the names serving used before every service took GRPC_TLS_*; read when no GRPC_TLS_* file is set. */
export interface ServingTlsAliases {
  SERVING_TLS_CERT?: string | undefined;
  SERVING_TLS_KEY?: string | undefined;
  SERVING_TLS_CA?: string | undefined;
  SERVING_TLS_CLIENT_AUTH?: "none" | "require" | undefined;
}

/** Server credentials from GRPC_TLS_*, or from SERVING_TLS_* (and then named so in errors) when none is set. */
export function servingCredentials(config: ServerTlsSettings & ServingTlsAliases): {
  credentials: grpc.ServerCredentials;
  tls: TlsMode;
} {
  const usesAliases =
    config.GRPC_TLS_CERT === undefined &&
    config.GRPC_TLS_KEY === undefined &&
    config.GRPC_TLS_CA === undefined &&
    (config.SERVING_TLS_CERT !== undefined ||
      config.SERVING_TLS_KEY !== undefined ||
      config.SERVING_TLS_CA !== undefined ||
      config.SERVING_TLS_CLIENT_AUTH !== undefined);
  if (!usesAliases) return { credentials: grpcServerCredentials(config), tls: serverTlsMode(config) };
  const requireClientCert = config.SERVING_TLS_CLIENT_AUTH === "require" || config.GRPC_TLS_CLIENT_AUTH === "require";
  const settings: ServerTlsSettings = {
    GRPC_TLS_CERT: config.SERVING_TLS_CERT,
    GRPC_TLS_KEY: config.SERVING_TLS_KEY,
    GRPC_TLS_CA: config.SERVING_TLS_CA,
    GRPC_TLS_CLIENT_AUTH: requireClientCert ? "require" : "none",
  };
  const names: VariableNames<ServerTlsSettings> = {
    GRPC_TLS_CERT: "SERVING_TLS_CERT",
    GRPC_TLS_KEY: "SERVING_TLS_KEY",
    GRPC_TLS_CA: "SERVING_TLS_CA",
    GRPC_TLS_CLIENT_AUTH: "SERVING_TLS_CLIENT_AUTH",
  };
  return { credentials: grpcServerCredentials(settings, names), tls: serverTlsMode(settings) };
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
  const port = await listen(server.server, options.host, options.port, options.credentials);
  return { server, port };
}
