import type * as grpc from "@grpc/grpc-js";
import { createGrpcServer, type GrpcServer, listen, loadProto } from "@gyre/grpc";
import { MAX_EXTERNAL_MODEL_BYTES } from "./externalRegistration.ts";
import { type RegistryRpcDeps, registryHandlers } from "./registryRpc.ts";

export const REGISTRY_PROTO = "registry/registry.proto";

/** The ModelRegistry gRPC server (with health and reflection), listening; resolves with it and the bound port. */
export async function startRegistryServer(
  deps: RegistryRpcDeps,
  address: { host: string; port: number; credentials?: grpc.ServerCredentials },
): Promise<{ server: GrpcServer; port: number }> {
  // RegisterExternalModel carries the model file
  const server = createGrpcServer({ protos: [REGISTRY_PROTO], maxMessageBytes: MAX_EXTERNAL_MODEL_BYTES + 64 * 1024 });
  const proto = loadProto(REGISTRY_PROTO);
  server.server.addService(proto.gyre.registry.v1.ModelRegistry.service, registryHandlers(deps));
  const port = await listen(server.server, address.host, address.port, address.credentials);
  return { server, port };
}
