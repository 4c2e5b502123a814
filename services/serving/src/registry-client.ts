import * as grpc from "@grpc/grpc-js";
import { type GetModelResponse__Output, loadProto, type ModelSummary__Output } from "@gyre/grpc";

/** What serving needs from the registry: which versions are champion and challenger, and where their files are. */
export interface ModelAliases {
  dataset: string;
  champion: number | null;
  challenger: number | null;
  /** version → artifact key prefix in S3. */
  artifactKeys: Map<number, string>;
}

export interface RegistryReader {
  listDatasets(): Promise<{ dataset: string; champion: number | null; challenger: number | null }[]>;
  /** null when the registry has no such dataset. */
  modelAliases(dataset: string): Promise<ModelAliases | null>;
  close(): void;
}

const CALL_TIMEOUT_MS = 10_000;

/** A client of gyre.registry.v1.ModelRegistry at `address` (host:port; plaintext unless `credentials` say TLS). */
export function registryReader(
  address: string,
  credentials: grpc.ChannelCredentials = grpc.credentials.createInsecure(),
): RegistryReader {
  const Registry = loadProto("registry/registry.proto").gyre.registry.v1.ModelRegistry;
  const client = new Registry(address, credentials);
  const deadline = () => new Date(Date.now() + CALL_TIMEOUT_MS);
  const version = (value: string | number) => (Number(value) > 0 ? Number(value) : null);
  return {
    listDatasets: () =>
      new Promise((resolve, reject) => {
        client.ListModels({}, { deadline: deadline() }, (error, response) => {
          if (error || !response) return reject(error ?? new Error("ListModels gave no response"));
          resolve(
            response.models.map((summary: ModelSummary__Output) => ({
              dataset: summary.dataset,
              champion: version(summary.champion_version),
              challenger: version(summary.challenger_version),
            })),
          );
        });
      }),
    modelAliases: (dataset) =>
      new Promise((resolve, reject) => {
        client.GetModel({ dataset }, { deadline: deadline() }, (error, response?: GetModelResponse__Output) => {
          if (error?.code === grpc.status.NOT_FOUND) return resolve(null);
          if (error || !response) return reject(error ?? new Error("GetModel gave no response"));
          resolve({
            dataset,
            champion: version(response.aliases.champion ?? 0),
            challenger: version(response.aliases.challenger ?? 0),
            artifactKeys: new Map(response.versions.map((entry) => [Number(entry.version), entry.artifact_key])),
          });
        });
      }),
    close: () => client.close(),
  };
}
