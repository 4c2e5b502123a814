import type { Readable } from "node:stream";
import { Client } from "minio";
import { parseS3Endpoint } from "./endpoint.ts";
import { uploadInParts } from "./multipart.ts";
import { parseBucketName, parseKeyPrefix, parseObjectKey } from "./names.ts";
import { isMissingBucket, isMissingObject, ObjectNotFoundError } from "./not-found.ts";
import { type ObjectMetadata, toRequestHeaders, userMetadata } from "./object-metadata.ts";
import { hashContent } from "./spool.ts";

export interface ArtifactStoreOptions {
  /** `http(s)://host:port` of any S3-compatible server. */
  endpoint: string;
  accessKey: string;
  secretKey: string;
  region: string;
  bucket: string;
}

export interface PutOptions {
  contentType?: string;
  metadata?: ObjectMetadata;
}

export interface ObjectStat {
  size: number;
  etag: string;
  lastModified: Date;
  contentType: string | undefined;
  metadata: ObjectMetadata;
}

export interface ObjectListing {
  key: string;
  size: number;
  lastModified: Date;
}

export interface ContentAddressedObject {
  key: string;
  sha256: string;
  size: number;
  /** false when an object with the same content was already there. */
  created: boolean;
}

export interface ArtifactStore {
  readonly bucket: string;
  ensureBucket(): Promise<void>;
  put(key: string, body: Buffer | Readable | string, options?: PutOptions): Promise<void>;
  get(key: string): Promise<Readable>;
  getBuffer(key: string): Promise<Buffer>;
  stat(key: string): Promise<ObjectStat>;
  exists(key: string): Promise<boolean>;
  list(prefix: string): AsyncIterable<ObjectListing>;
  remove(key: string): Promise<void>;
  /** Stores the body at `<prefix>/<sha256 hex>` unless that object already exists. */
  putContentAddressed(prefix: string, body: Buffer | Readable): Promise<ContentAddressedObject>;
  /** Removes the bucket; with `force`, first every object and unfinished multipart upload in it. For tests. */
  removeBucket(force?: boolean): Promise<void>;
}

/** Bodies above this size go up as multipart uploads in parts of this size: at most 10,000 parts = 160 GiB. */
export const PART_SIZE = 16 * 1024 * 1024;

export function createArtifactStore(options: ArtifactStoreOptions): ArtifactStore {
  return new S3ArtifactStore(options);
}

class S3ArtifactStore implements ArtifactStore {
  readonly bucket: string;
  readonly #region: string;
  readonly #client: Client;

  constructor(options: ArtifactStoreOptions) {
    this.bucket = parseBucketName(options.bucket);
    this.#region = options.region;
    this.#client = new Client({
      ...parseS3Endpoint(options.endpoint),
      accessKey: options.accessKey,
      secretKey: options.secretKey,
      region: options.region,
      pathStyle: true,
    });
  }

  async ensureBucket(): Promise<void> {
    if (await this.#client.bucketExists(this.bucket)) return;
    try {
      await this.#client.makeBucket(this.bucket, this.#region);
    } catch (error) {
      // Another replica created it between our check and our create.
      if (await this.#client.bucketExists(this.bucket)) return;
      throw error;
    }
  }

  async put(key: string, body: Buffer | Readable | string, options: PutOptions = {}): Promise<void> {
    const headers = toRequestHeaders(options.contentType, options.metadata);
    await this.#upload(parseObjectKey(key), typeof body === "string" ? Buffer.from(body) : body, headers);
  }

  async get(key: string): Promise<Readable> {
    try {
      return await this.#client.getObject(this.bucket, parseObjectKey(key));
    } catch (error) {
      throw this.#notFound(key, error);
    }
  }

  async getBuffer(key: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.get(key)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async stat(key: string): Promise<ObjectStat> {
    try {
      const stat = await this.#client.statObject(this.bucket, parseObjectKey(key));
      return {
        size: stat.size,
        etag: stat.etag,
        lastModified: stat.lastModified,
        contentType: stat.metaData["content-type"],
        metadata: userMetadata(stat.metaData),
      };
    } catch (error) {
      throw this.#notFound(key, error);
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.stat(key);
      return true;
    } catch (error) {
      if (error instanceof ObjectNotFoundError) return false;
      throw error;
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectListing> {
    for await (const item of this.#client.listObjectsV2(this.bucket, parseKeyPrefix(prefix), true)) {
      if (item.name !== undefined) yield { key: item.name, size: item.size, lastModified: item.lastModified };
    }
  }

  async remove(key: string): Promise<void> {
    await this.#client.removeObject(this.bucket, parseObjectKey(key));
  }

  async putContentAddressed(prefix: string, body: Buffer | Readable): Promise<ContentAddressedObject> {
    const base = parseObjectKey(prefix);
    const content = await hashContent(body);
    try {
      const { sha256, size } = content;
      const key = `${base}/${sha256}`;
      if (await this.exists(key)) return { key, sha256, size, created: false };
      // Two writers racing on the same content both upload the same bytes (and both report created): one object.
      await this.#upload(key, content.open(), toRequestHeaders("application/octet-stream", { sha256 }));
      return { key, sha256, size, created: true };
    } finally {
      await content.remove();
    }
  }

  async removeBucket(force = false): Promise<void> {
    try {
      if (force) {
        for await (const upload of this.#client.listIncompleteUploads(this.bucket, "", true)) {
          await this.#client.removeIncompleteUpload(this.bucket, upload.key);
        }
        const keys: string[] = [];
        for await (const object of this.list("")) keys.push(object.key);
        if (keys.length > 0) await this.#client.removeObjects(this.bucket, keys);
      }
      await this.#client.removeBucket(this.bucket);
    } catch (error) {
      if (!isMissingBucket(error)) throw error;
    }
  }

  #upload(key: string, body: Buffer | Readable, headers: Record<string, string>): Promise<void> {
    return uploadInParts({ client: this.#client, bucket: this.bucket, key, headers }, body, PART_SIZE);
  }

  #notFound(key: string, error: unknown): unknown {
    return isMissingObject(error) ? new ObjectNotFoundError(this.bucket, key, { cause: error }) : error;
  }
}
