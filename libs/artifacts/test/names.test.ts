import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  InvalidEndpointError,
  InvalidS3UrlError,
  isValidBucketName,
  isValidObjectKey,
  parseKeyPrefix,
  parseS3Endpoint,
  parseS3Url,
} from "../src/index.ts";

describe("parseS3Url", () => {
  const accepted: Array<[string, { bucket: string; key: string }]> = [
    ["s3://gyre-raw/batches/weather/ab12", { bucket: "gyre-raw", key: "batches/weather/ab12" }],
    ["s3://my.bucket/model.json", { bucket: "my.bucket", key: "model.json" }],
    ["s3://abc/a b/%2e%2e", { bucket: "abc", key: "a b/%2e%2e" }],
    ["s3://abc/a..b/c", { bucket: "abc", key: "a..b/c" }],
  ];
  for (const [url, expected] of accepted) {
    test(`accepts ${url}`, () => assert.deepEqual(parseS3Url(url), expected));
  }

  const refused: unknown[] = [
    "s3://b/../x",
    "s3://bucket/../x",
    "s3://bucket/a/../x",
    "s3://bucket/a/..",
    "s3://bucket/./x",
    "s3://bucket//x",
    "s3://bucket/x/",
    "s3://bucket/",
    "s3://bucket",
    "s3://Bucket/x",
    "s3://ab/x",
    "s3://bad_bucket/x",
    "s3://192.168.1.1/x",
    "s3://bucket/a\u0000b",
    "http://bucket/x",
    "bucket/x",
    42,
  ];
  for (const url of refused) {
    test(`refuses ${JSON.stringify(url)}, naming it`, () => {
      assert.throws(
        () => parseS3Url(url),
        (error) => error instanceof InvalidS3UrlError && error.message.includes(JSON.stringify(url)),
      );
    });
  }
});

describe("names", () => {
  test("bucket names follow the S3 rules", () => {
    const cases: Array<[string, boolean]> = [
      ["gyre-t1abc", true],
      ["a.b-c", true],
      ["ab", false],
      ["a".repeat(64), false],
      ["-abc", false],
      ["abc-", false],
      ["a..b", false],
      ["a.-b", false],
      ["ABC", false],
      ["xn--abc", false],
      ["10.0.0.1", false],
    ];
    for (const [name, valid] of cases) assert.equal(isValidBucketName(name), valid, name);
  });

  test("keys are relative paths without dot segments or control characters", () => {
    const cases: Array<[string, boolean]> = [
      ["batches/weather/abc", true],
      ["model.json", true],
      ["é/ünïcode", true],
      ["/abs", false],
      ["a/../b", false],
      ["a/./b", false],
      ["a//b", false],
      ["a/", false],
      ["a\tb", false],
      ["a\u007fb", false],
      ["x".repeat(1025), false],
    ];
    for (const [key, valid] of cases) assert.equal(isValidObjectKey(key), valid, JSON.stringify(key));
  });

  test("a listing prefix may be empty or end with a slash", () => {
    assert.equal(parseKeyPrefix(""), "");
    assert.equal(parseKeyPrefix("batches/"), "batches/");
    assert.equal(parseKeyPrefix("batches/wea"), "batches/wea");
    assert.throws(() => parseKeyPrefix("../"), /"\.\.\/"/);
  });
});

describe("parseS3Endpoint", () => {
  test("splits scheme, host and port for the client", () => {
    assert.deepEqual(parseS3Endpoint("http://127.0.0.1:9000"), { endPoint: "127.0.0.1", port: 9000, useSSL: false });
    assert.deepEqual(parseS3Endpoint("https://s3.example.com"), {
      endPoint: "s3.example.com",
      port: 443,
      useSSL: true,
    });
    assert.deepEqual(parseS3Endpoint("http://[::1]:9000"), { endPoint: "::1", port: 9000, useSSL: false });
  });

  test("refuses anything but scheme, host and port, naming the value", () => {
    for (const value of ["127.0.0.1:9000", "ftp://host", "http://host:9000/prefix", "http://user:pw@host"]) {
      assert.throws(() => parseS3Endpoint(value), InvalidEndpointError, value);
    }
  });

  test("keeps credentials written into the endpoint out of the error", () => {
    assert.throws(
      () => parseS3Endpoint("http://gyre:s3cret@host:9000/x"),
      (error) =>
        error instanceof InvalidEndpointError &&
        !error.message.includes("s3cret") &&
        error.message.includes("host:9000"),
    );
  });
});
