export { InvalidEndpointError, parseS3Endpoint, type S3Endpoint } from "./endpoint.ts";
export {
  InvalidBucketNameError,
  InvalidObjectKeyError,
  isValidBucketName,
  isValidObjectKey,
  parseBucketName,
  parseKeyPrefix,
  parseObjectKey,
} from "./names.ts";
export { ObjectNotFoundError } from "./not-found.ts";
export { InvalidMetadataError, type ObjectMetadata } from "./object-metadata.ts";
export { artifactStoreOptions, type S3Config } from "./s3-config.ts";
export { formatS3Url, InvalidS3UrlError, parseS3Url, type S3Location } from "./s3-url.ts";
export {
  type ArtifactStore,
  type ArtifactStoreOptions,
  type ContentAddressedObject,
  createArtifactStore,
  type ObjectListing,
  type ObjectStat,
  PART_SIZE,
  type PutOptions,
} from "./store.ts";
