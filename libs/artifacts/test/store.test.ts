import assert from "node:assert/strict";
import { createCipheriv, createHash } from "node:crypto";
import { Readable } from "node:stream";
import { after, describe, test } from "node:test";
import { infraFromEnv, uniqueId } from "@gyre/testkit";
import { Client } from "minio";
import {
  type ArtifactStore,
  createArtifactStore,
  InvalidObjectKeyError,
  ObjectNotFoundError,
  PART_SIZE,
} from "../src/index.ts";

const { s3 } = infraFromEnv();

/** A plain client, to look at what the store leaves behind on the server. */
function s3Client(): Client {
  const { hostname, port } = new URL(s3.endpoint);
  const { accessKey, secretKey, region } = s3;
  return new Client({
    endPoint: hostname,
    port: Number(port),
    useSSL: false,
    pathStyle: true,
    accessKey,
    secretKey,
    region,
  });
}
const MiB = 1024 * 1024;

/** Deterministic pseudo-random bytes (AES-256-CTR keystream of a seed), hashed as they are generated. */
function pseudoRandomStream(seed: string, size: number): { stream: Readable; sha256: () => string } {
  const cipher = createCipheriv("aes-256-ctr", createHash("sha256").update(seed).digest(), Buffer.alloc(16));
  const hash = createHash("sha256");
  const zeros = Buffer.alloc(MiB);
  async function* chunks() {
    for (let sent = 0; sent < size; sent += MiB) {
      const chunk = cipher.update(zeros.subarray(0, Math.min(MiB, size - sent)));
      hash.update(chunk);
      yield chunk;
    }
  }
  return { stream: Readable.from(chunks()), sha256: () => hash.digest("hex") };
}

async function sha256OfStream(stream: Readable): Promise<{ sha256: string; size: number }> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), size };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe("artifact store on a real S3 server", () => {
  const stores: ArtifactStore[] = [];

  /** Each test gets its own bucket, removed in after(). */
  async function newStore(): Promise<ArtifactStore> {
    const store = createArtifactStore({ ...s3, bucket: `gyre-${uniqueId()}` });
    stores.push(store);
    await store.ensureBucket();
    return store;
  }

  after(async () => {
    for (const store of stores) await store.removeBucket(true);
  });

  test("a 100 MiB stream makes the round trip with the same sha256", async () => {
    const store = await newStore();
    const size = 100 * MiB;
    assert.ok(size > PART_SIZE, "large enough to go multipart");
    const generated = pseudoRandomStream("round-trip", size);
    await store.put("raw/big.bin", generated.stream, { contentType: "application/octet-stream" });

    const downloaded = await sha256OfStream(await store.get("raw/big.bin"));
    assert.deepEqual(downloaded, { sha256: generated.sha256(), size });
    const stat = await store.stat("raw/big.bin");
    assert.equal(stat.size, size);
    assert.match(
      stat.etag,
      new RegExp(`-${Math.ceil(size / PART_SIZE)}$`),
      "a multipart ETag: <md5 of part md5s>-<parts>",
    );
  });

  test("content-addressed put of the same bytes twice stores one object and reports created only once", async () => {
    const store = await newStore();
    const size = 3 * MiB + 17;
    const first = await store.putContentAddressed("batches/weather", pseudoRandomStream("same-bytes", size).stream);
    const generated = pseudoRandomStream("same-bytes", size);
    const second = await store.putContentAddressed("batches/weather", generated.stream);

    assert.equal(first.sha256, generated.sha256());
    assert.deepEqual(first, { key: `batches/weather/${first.sha256}`, sha256: first.sha256, size, created: true });
    assert.deepEqual(second, { ...first, created: false });
    const again = await store.putContentAddressed("batches/weather", await store.getBuffer(first.key));
    assert.deepEqual(again, { ...first, created: false });

    const listed = await collect(store.list("batches/weather/"));
    assert.deepEqual(
      listed.map((object) => [object.key, object.size]),
      [[first.key, size]],
    );
    assert.equal((await store.stat(first.key)).metadata.sha256, first.sha256);
  });

  test("stat of a missing key throws ObjectNotFoundError naming bucket and key", async () => {
    const store = await newStore();
    await assert.rejects(store.stat("models/missing.json"), (error) => {
      assert.ok(error instanceof ObjectNotFoundError);
      assert.equal(error.key, "models/missing.json");
      assert.match(error.message, /"models\/missing\.json"/);
      assert.match(error.message, new RegExp(`"${store.bucket}"`));
      return true;
    });
    await assert.rejects(store.get("models/missing.json"), ObjectNotFoundError);
    assert.equal(await store.exists("models/missing.json"), false);
  });

  test("list returns the objects under a prefix and nothing else", async () => {
    const store = await newStore();
    await Promise.all([
      store.put("reports/weather/a.json", "{}"),
      store.put("reports/weather/nested/b.json", '{"b":1}'),
      store.put("reports/traffic/c.json", "{}"),
      store.put("reports/weatherly.json", "{}"),
    ]);
    const listed = await collect(store.list("reports/weather/"));
    assert.deepEqual(listed.map((object) => object.key).sort(), [
      "reports/weather/a.json",
      "reports/weather/nested/b.json",
    ]);
    assert.ok(listed.every((object) => object.lastModified instanceof Date && object.size > 0));
  });

  test("put keeps content type and metadata, and remove deletes the object", async () => {
    const store = await newStore();
    await store.put("models/weather/v1/model.json", Buffer.from('{"format":"layers-model"}'), {
      contentType: "application/json",
      metadata: { "run-id": "r42", sha256: "abc" },
    });
    const stat = await store.stat("models/weather/v1/model.json");
    assert.equal(stat.contentType, "application/json");
    assert.deepEqual(stat.metadata, { "run-id": "r42", sha256: "abc" });
    assert.equal((await store.getBuffer("models/weather/v1/model.json")).toString(), '{"format":"layers-model"}');

    await store.remove("models/weather/v1/model.json");
    assert.equal(await store.exists("models/weather/v1/model.json"), false);
  });

  test("ensureBucket is idempotent when replicas race", async () => {
    const store = await newStore();
    const twin = createArtifactStore({ ...s3, bucket: store.bucket });
    await Promise.all([store.ensureBucket(), twin.ensureBucket(), store.ensureBucket()]);
    await store.put("k", "v");
    assert.equal((await twin.getBuffer("k")).toString(), "v");
  });

  test("a failing source stream rejects the put instead of hanging", async () => {
    const store = await newStore();
    async function* failing() {
      yield Buffer.alloc(PART_SIZE + MiB);
      throw new Error("producer went away");
    }
    await assert.rejects(store.put("raw/broken.bin", Readable.from(failing())), /producer went away/);
    assert.equal(await store.exists("raw/broken.bin"), false);
    const unfinished = await collect(s3Client().listIncompleteUploads(store.bucket, "", true));
    assert.deepEqual(unfinished, [], "the multipart upload was aborted");
  });

  test("refuses keys with a leading slash, .. segments or control characters, naming the key", async () => {
    const store = await newStore();
    for (const key of ["/abs", "a/../b", "..", "a\nb", "a//b", ""]) {
      await assert.rejects(store.put(key, "x"), (error) => {
        assert.ok(error instanceof InvalidObjectKeyError, `key ${JSON.stringify(key)}`);
        assert.ok(error.message.includes(JSON.stringify(key)));
        return true;
      });
    }
  });
});
