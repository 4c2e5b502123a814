import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { ReflectionService } from "@grpc/reflection";
import { HealthImplementation, protoPath as healthProtoPath, type ServingStatus } from "grpc-health-check";
import { loadPackageDefinition, type ProtoPath, servicesOf } from "./proto.ts";
import { PROTO_LOADER_OPTIONS } from "./proto-options.ts";

export type { ServingStatus };

export interface GrpcServerOptions {
  /** Proto files whose services this server implements: reflection describes them, health reports them. */
  protos?: readonly ProtoPath[];
  /**
   * Largest message received or sent, in bytes. When omitted, received messages are still bounded, by
   * DEFAULT_MAX_RECEIVE_BYTES, and sent ones are not (a training-set stream chunk or a long listing is the server's own).
   */
  maxMessageBytes?: number;
}

/** The bound on a received message of a server created without maxMessageBytes (gRPC's own default, made explicit). */
export const DEFAULT_MAX_RECEIVE_BYTES = 4 * 1024 * 1024;

export interface GrpcServer {
  readonly server: grpc.Server;
  /** Fully-qualified names of the services from `protos`, e.g. `inference.GRPCInferenceService`. */
  readonly services: readonly string[];
  /** Sets the `grpc.health.v1` status of one service; `""` is the whole server. */
  setServingStatus(service: string, status: ServingStatus): void;
}

export class InvalidGrpcOptionError extends Error {
  override name = "InvalidGrpcOptionError";
}

/**
 * A gRPC server that already serves `grpc.health.v1` (every service from `protos` and `""` start SERVING)
 * and server reflection for `protos` and the health service. Add the implementations, then `listen`.
 */
export function createGrpcServer(options: GrpcServerOptions = {}): GrpcServer {
  const protos = options.protos ?? [];
  const server = new grpc.Server(channelOptions(options.maxMessageBytes));
  const services = [...new Set(protos.flatMap((path) => servicesOf(path)))];

  const health = new HealthImplementation(
    Object.fromEntries(["", ...services].map((service) => [service, "SERVING" satisfies ServingStatus])),
  );
  health.addToServer(server);

  const described: protoLoader.PackageDefinition = Object.assign(
    {},
    protoLoader.loadSync(healthProtoPath, { ...PROTO_LOADER_OPTIONS, includeDirs: [] }),
    ...protos.map((path) => loadPackageDefinition(path)),
  );
  new ReflectionService(described).addToServer(server);

  return {
    server,
    services,
    setServingStatus: (service, status) => health.setStatus(service, status),
  };
}

function channelOptions(maxMessageBytes: number | undefined): grpc.ChannelOptions {
  if (maxMessageBytes === undefined) return { "grpc.max_receive_message_length": DEFAULT_MAX_RECEIVE_BYTES };
  if (!Number.isSafeInteger(maxMessageBytes) || maxMessageBytes <= 0) {
    throw new InvalidGrpcOptionError(`maxMessageBytes ${maxMessageBytes}: must be a positive whole number of bytes`);
  }
  return {
    "grpc.max_receive_message_length": maxMessageBytes,
    "grpc.max_send_message_length": maxMessageBytes,
  };
}

/**
 * Binds `host:port` (port 0 picks a free one) and resolves with the bound port; plaintext unless `credentials`
 * (see grpcServerCredentials) say otherwise.
 */
export function listen(
  server: grpc.Server,
  host: string,
  port: number,
  credentials: grpc.ServerCredentials = grpc.ServerCredentials.createInsecure(),
): Promise<number> {
  const address = host.includes(":") && !host.startsWith("[") ? `[${host}]:${port}` : `${host}:${port}`;
  const failed = (error: Error) => new Error(`gRPC listen on ${address} failed: ${error.message}`, { cause: error });
  return new Promise((resolve, reject) => {
    try {
      server.bindAsync(address, credentials, (error, boundPort) => {
        if (error) reject(failed(error));
        else resolve(boundPort);
      });
    } catch (error) {
      // bindAsync throws, rather than calling back, when the server is already shut down.
      reject(failed(error as Error));
    }
  });
}

/**
 * Stops accepting calls and lets in-flight calls finish for up to `graceMs`, then cancels the rest.
 * Given a GrpcServer, health turns NOT_SERVING first so load balancers stop routing to it.
 */
export function shutdown(target: grpc.Server | GrpcServer, graceMs: number): Promise<void> {
  const server = target instanceof grpc.Server ? target : target.server;
  if (!(target instanceof grpc.Server)) {
    for (const service of ["", ...target.services]) target.setServingStatus(service, "NOT_SERVING");
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
