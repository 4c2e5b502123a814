import { existsSync } from "node:fs";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import type { ProtoGrpcType as FeatureStoreProto } from "./generated/feature_store.ts";
import type { ProtoGrpcType as InferenceProto } from "./generated/grpc_predict_v2.ts";
import type { ProtoGrpcType as MonitoringProto } from "./generated/monitoring.ts";
import type { ProtoGrpcType as RegistryProto } from "./generated/registry.ts";
import type { ProtoGrpcType as TrainerProto } from "./generated/trainer.ts";
import { PROTO_LOADER_OPTIONS, PROTO_ROOT } from "./proto-options.ts";

/** Every proto under `proto/` with its generated grpc object type; add a line here with each new proto. */
export interface ProtoTypes {
  "inference/grpc_predict_v2.proto": InferenceProto;
  "featurestore/feature_store.proto": FeatureStoreProto;
  "registry/registry.proto": RegistryProto;
  "monitoring/monitoring.proto": MonitoringProto;
  "trainer/trainer.proto": TrainerProto;
}
export type ProtoPath = keyof ProtoTypes;

export class ProtoNotFoundError extends Error {
  override name = "ProtoNotFoundError";
  constructor(readonly path: string) {
    super(`proto ${JSON.stringify(path)}: no such file under ${PROTO_ROOT}; paths are relative to proto/`);
  }
}

const definitions = new Map<string, protoLoader.PackageDefinition>();

/** The proto-loader package definition of one proto file (loaded once, then cached). */
export function loadPackageDefinition(path: ProtoPath): protoLoader.PackageDefinition {
  const cached = definitions.get(path);
  if (cached) return cached;
  if (!existsSync(join(PROTO_ROOT, path))) throw new ProtoNotFoundError(path);
  const definition = protoLoader.loadSync(path, { ...PROTO_LOADER_OPTIONS });
  definitions.set(path, definition);
  return definition;
}

/** The grpc object of one proto file, typed by its generated `ProtoGrpcType`: clients and service definitions. */
export function loadProto<P extends ProtoPath>(path: P): ProtoTypes[P] {
  return grpc.loadPackageDefinition(loadPackageDefinition(path)) as unknown as ProtoTypes[P];
}

/** Fully-qualified names of the services a proto file defines, e.g. `inference.GRPCInferenceService`. */
export function servicesOf(path: ProtoPath): string[] {
  return Object.entries(loadPackageDefinition(path))
    .filter(([, definition]) => !("format" in definition))
    .map(([name]) => name);
}
