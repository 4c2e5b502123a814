import assert from "node:assert/strict";
import { after, test } from "node:test";
import { infraFromEnv, uniqueId } from "@gyre/testkit";
import { artifactStoreOptions, createArtifactStore, type S3Config } from "../src/index.ts";

const { s3 } = infraFromEnv();
const config: S3Config = {
  S3_ENDPOINT: s3.endpoint,
  S3_ACCESS_KEY: s3.accessKey,
  S3_SECRET_KEY: s3.secretKey,
  S3_REGION: s3.region,
  S3_BUCKET: uniqueId("cfg"),
};
const store = createArtifactStore(artifactStoreOptions(config));
after(() => store.removeBucket(true));

test("a service's S3 configuration opens the store of S3_BUCKET on S3_ENDPOINT", async () => {
  assert.deepEqual(artifactStoreOptions(config), {
    endpoint: s3.endpoint,
    accessKey: s3.accessKey,
    secretKey: s3.secretKey,
    region: s3.region,
    bucket: config.S3_BUCKET,
  });
  await store.ensureBucket();
  await store.put("probe/a.txt", "stored through the configured store");
  const reopened = createArtifactStore(artifactStoreOptions({ ...config }));
  assert.equal(reopened.bucket, config.S3_BUCKET);
  assert.equal((await reopened.getBuffer("probe/a.txt")).toString(), "stored through the configured store");
});

test("a wrong secret from the configuration reaches S3 and is refused there", async () => {
  const wrong = createArtifactStore(artifactStoreOptions({ ...config, S3_SECRET_KEY: `${s3.secretKey}-wrong` }));
  await assert.rejects(wrong.getBuffer("probe/a.txt"), { code: "SignatureDoesNotMatch" });
});
