import { type ArtifactStore, type ArtifactStoreOptions, createArtifactStore } from "@gyre/artifacts";
import type { StoreForBucket } from "./rawBatch.ts";

/**
 * Stores for the buckets that `s3://` references name, on the same server with the same credentials: one per
 * bucket, made on first use. Unlike the service's own bucket, these are never created: a producer's missing
 * bucket is a missing object.
 */
export function bucketStores(own: ArtifactStore, connection: Omit<ArtifactStoreOptions, "bucket">): StoreForBucket {
  const stores = new Map<string, ArtifactStore>([[own.bucket, own]]);
  return (bucket) => {
    let store = stores.get(bucket);
    if (store === undefined) {
      store = createArtifactStore({ ...connection, bucket });
      stores.set(bucket, store);
    }
    return store;
  };
}
