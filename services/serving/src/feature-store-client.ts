import * as grpc from "@grpc/grpc-js";
import { type FeatureValue__Output, type GetOnlineFeaturesResponse__Output, loadProto } from "@gyre/grpc";
import { ModelUnavailableError } from "./errors.ts";
import type { FetchedHistory, HistorySource } from "./online-history.ts";

const CALL_TIMEOUT_MS = 10_000;

export function cellOf(value: FeatureValue__Output | undefined): string | number | boolean | null {
  switch (value?.kind) {
    case "number_value":
      return value.number_value ?? null;
    case "string_value":
      return value.string_value ?? null;
    case "bool_value":
      return value.bool_value ?? null;
    default:
      return null;
  }
}

/** The feature store's GetOnlineFeatures with history, as serving's source of an entity's rows on a miss. */
export function featureStoreHistory(
  address: string,
  credentials: grpc.ChannelCredentials = grpc.credentials.createInsecure(),
  onCall: (dataset: string, outcome: "ok" | "not_found" | "error") => void = () => undefined,
): HistorySource & { close(): void } {
  const FeatureStore = loadProto("featurestore/feature_store.proto").gyre.featurestore.v1.FeatureStore;
  const client = new FeatureStore(address, credentials);
  return {
    fetch: (dataset, entity, at) =>
      new Promise<FetchedHistory>((resolve, reject) => {
        const request = { dataset, entity_keys: [entity], at: new Date(at).toISOString(), with_history: true };
        const deadline = new Date(Date.now() + CALL_TIMEOUT_MS);
        client.GetOnlineFeatures(request, { deadline }, (error, response?: GetOnlineFeaturesResponse__Output) => {
          const found = response?.entities[0];
          // a dataset the store has written nothing of yet: every entity is new
          if (error?.code === grpc.status.NOT_FOUND) {
            onCall(dataset, "not_found");
            return resolve({ specRevision: 0, rows: [], latest: null });
          }
          if (error || !response || !found) {
            onCall(dataset, "error");
            const reason = error?.details ?? error?.message ?? "no answer";
            return reject(
              error?.code === grpc.status.INVALID_ARGUMENT
                ? error
                : new ModelUnavailableError(`feature store ${address}: GetOnlineFeatures for "${dataset}": ${reason}`),
            );
          }
          onCall(dataset, "ok");
          resolve({
            specRevision: Number(response.spec_revision),
            latest: found.latest_event_time === "" ? null : Date.parse(found.latest_event_time),
            rows: found.history.map((row) => ({
              time: Date.parse(row.event_time),
              seq: Number(row.batch_seq),
              index: row.row_index,
              values: Object.fromEntries(Object.entries(row.values).map(([name, value]) => [name, cellOf(value)])),
            })),
          });
        });
      }),
    close: () => client.close(),
  };
}
