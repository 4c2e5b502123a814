import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { secretValues } from "@gyre/config";
import { createLogger } from "@gyre/log";

function capturedLogger(secrets: readonly string[] = []) {
  const raw: string[] = [];
  const logger = createLogger({
    service: "redaction-test",
    secrets,
    destination: { write: (line: string) => raw.push(line) },
  });
  return { logger, raw, lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

const PG_PASSWORD = 'pg-Pa55"word/with@odd';
const S3_SECRET = "s3-secret-AbCdEf0123456789";
const NATS_PASSWORD = "nats-pw-9f8e7d6c";

describe("line scrubbing", () => {
  it("scrubs a line with a long run of letters in linear time (a 200 kB name once froze a service for minutes)", () => {
    const { logger, lines } = capturedLogger();
    const name = "h".repeat(200_000);
    const started = performance.now();
    logger.warn({ reason: `dataset "${name}" is not valid`, url: "x" }, `nats://u:pw@host ${name}://a:b@c`);
    const ms = performance.now() - started;
    assert.ok(ms < 2000, `logging took ${Math.round(ms)} ms`);
    const [line = {}] = lines();
    assert.equal(String(line.msg).slice(0, 20), "nats://u:***@host hh");
    assert.ok(String(line.msg).endsWith("h://a:***@c"));
  });

  const config = {
    DATABASE_URL: `postgres://gyre:${encodeURIComponent(PG_PASSWORD)}@127.0.0.1:5432/gyre`,
    S3_ACCESS_KEY: "visible-access-key",
    S3_SECRET_KEY: S3_SECRET,
    NATS_PASSWORD,
    NATS_TLS_KEY: "/run/tls/client-key.pem",
    METRICS_PORT: 9464,
  };

  it("secretValues lists secret variables and URL passwords, encoded and decoded, not paths or public keys", () => {
    assert.deepEqual(
      new Set(secretValues(config)),
      new Set([encodeURIComponent(PG_PASSWORD), PG_PASSWORD, S3_SECRET, NATS_PASSWORD]),
    );
    assert.deepEqual(secretValues({ NATS_URL: "nats://a:4222,nats://u:p%40ss@b:4222" }), ["p%40ss", "p@ss"]);
  });

  it("replaces known secrets wherever a message, an error or a field carries them", () => {
    const { logger, raw, lines } = capturedLogger(secretValues(config));
    const err = new Error(`connect failed for postgres://gyre:${PG_PASSWORD}@db and key ${S3_SECRET}`);
    logger.error(
      { err, event: "db.failed", detail: { nested: { deeper: `auth ${NATS_PASSWORD}` } } },
      `S3 ${S3_SECRET}`,
    );
    logger.warn({ query: `?pw=${encodeURIComponent(PG_PASSWORD)}`, accessKey: config.S3_ACCESS_KEY }, "encoded");
    const text = raw.join("");
    for (const secret of [
      PG_PASSWORD,
      JSON.stringify(PG_PASSWORD).slice(1, -1),
      encodeURIComponent(PG_PASSWORD),
      S3_SECRET,
      NATS_PASSWORD,
    ]) {
      assert.ok(!text.includes(secret), `${secret} was logged: ${text}`);
    }
    const [first = {}, second = {}] = lines();
    assert.equal(first.msg, "S3 [Redacted]");
    assert.equal((first.detail as { nested: { deeper: string } }).nested.deeper, "auth [Redacted]");
    assert.match(String((first.err as { message: string }).message), /key \[Redacted\]/);
    assert.equal(second.query, "?pw=[Redacted]");
    assert.equal(second.accessKey, "visible-access-key");
  });

  it("masks the password of any URL in a line, even an unknown one", () => {
    const { logger, lines } = capturedLogger();
    logger.error(
      { err: new Error("getaddrinfo ENOTFOUND for nats://svc:unknown-pw@nats:4222"), target: "see https://u:p@h/x" },
      "postgresql://app:other-pw@10.0.0.1/db unreachable",
    );
    const [line = {}] = lines();
    assert.equal(line.msg, "postgresql://app:***@10.0.0.1/db unreachable");
    assert.equal(line.target, "see https://u:***@h/x");
    assert.match(String((line.err as { stack: string }).stack), /nats:\/\/svc:\*\*\*@nats:4222/);
    assert.ok(!JSON.stringify(line).includes("unknown-pw"));
  });

  it("keeps URLs without a password and short values as they are", () => {
    const { logger, lines } = capturedLogger(["abc"]);
    logger.info({ url: "nats://127.0.0.1:4222", endpoint: "http://user@s3:9000/b" }, "abc stays: too short to scrub");
    const [line = {}] = lines();
    assert.equal(line.url, "nats://127.0.0.1:4222");
    assert.equal(line.endpoint, "http://user@s3:9000/b");
    assert.equal(line.msg, "abc stays: too short to scrub");
  });

  it("redacts nats.js connect options by name, whatever the values", () => {
    const { logger, lines } = capturedLogger();
    logger.info({ nats: { user: "ingestion", pass: "p1", token: "t1", seed: "SUAB" } }, "connecting");
    const [line = {}] = lines();
    assert.deepEqual(line.nats, { user: "ingestion", pass: "[Redacted]", token: "[Redacted]", seed: "[Redacted]" });
  });
});
