import type { ArtifactStoreOptions } from "./store.ts";

/** The S3 variables of a parsed service configuration: the `s3Env` fragment of @gyre/config. */
export interface S3Config {
  S3_ENDPOINT: string;
  S3_ACCESS_KEY: string;
  S3_SECRET_KEY: string;
  S3_REGION: string;
  S3_BUCKET: string;
}

/** The artifact store a service's configuration names: `ctx.artifacts(artifactStoreOptions(config))`. */
export function artifactStoreOptions(config: S3Config): ArtifactStoreOptions {
  return {
    endpoint: config.S3_ENDPOINT,
    accessKey: config.S3_ACCESS_KEY,
    secretKey: config.S3_SECRET_KEY,
    region: config.S3_REGION,
    bucket: config.S3_BUCKET,
  };
}
