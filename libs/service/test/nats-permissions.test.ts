import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { streamNames } from "@gyre/bus";
import { EVENT_TYPES, eventSubject } from "@gyre/contracts";
import { specBucketName } from "@gyre/spec";
import { routingBucketName } from "../../../services/serving/src/routing-settings.ts";
import {
  NATS_ACCOUNTS,
  natsAuthorizationConfig,
  natsInboxPrefix,
  natsPermissions,
  natsProducerPermissions,
  parseNatsProducers,
  SERVICES,
} from "../src/index.ts";

/** NATS subject matching: `*` is one token, `>` the rest (one or more tokens). */
function matches(pattern: string, subject: string): boolean {
  const p = pattern.split(".");
  const s = subject.split(".");
  for (let i = 0; i < p.length; i++) {
    if (p[i] === ">") return s.length > i;
    if (i >= s.length || (p[i] !== "*" && p[i] !== s[i])) return false;
  }
  return p.length === s.length;
}

const allowed = (patterns: readonly string[], subject: string) => patterns.some((pattern) => matches(pattern, subject));
const ns = "perm-test";

describe("natsPermissions", () => {
  test("each event type is published by exactly one service account, producers' events by none", () => {
    const fromProducers = ["data.arrived", "labels.arrived"];
    const publishers = EVENT_TYPES.filter((type) => !fromProducers.includes(type)).map((type): [string, string[]] => [
      type,
      SERVICES.filter((service) => allowed(natsPermissions(ns, service).publish, eventSubject(ns, type, "weather"))),
    ]);
    for (const [type, services] of publishers) assert.equal(services.length, 1, `${type}: ${services.join(", ")}`);
    for (const type of ["data.arrived", "labels.arrived"] as const) {
      assert.ok(allowed(natsPermissions(ns, "gyre").publish, eventSubject(ns, type, "weather")));
      assert.deepEqual(
        SERVICES.filter((service) => allowed(natsPermissions(ns, service).publish, eventSubject(ns, type, "w"))),
        [],
      );
    }
  });

  test("no account may touch another namespace, delete the namespace's streams or use the bare _INBOX", () => {
    const other = streamNames("other");
    for (const account of NATS_ACCOUNTS) {
      const { publish, subscribe } = natsPermissions(ns, account);
      for (const subject of [
        "other.data.arrived.weather",
        `$JS.API.STREAM.INFO.${other.events}`,
        `$JS.API.CONSUMER.MSG.NEXT.${other.events}.${account}`,
        "$KV.gyre_other_specs.weather",
        "$JS.API.STREAM.LIST",
        "$SYS.REQ.SERVER.PING",
      ]) {
        assert.equal(allowed(publish, subject), false, `${account} may publish ${subject}`);
      }
      if (account !== "gyre") {
        assert.equal(allowed(publish, `$JS.API.STREAM.DELETE.${streamNames(ns).events}`), false);
        assert.equal(allowed(publish, `$JS.API.STREAM.PURGE.${streamNames(ns).events}`), false);
        assert.equal(allowed(publish, `$KV.${specBucketName(ns)}.weather`), false, `${account} may write specs`);
      }
      assert.deepEqual(subscribe, [`${natsInboxPrefix(ns, account)}.>`]);
      assert.equal(allowed(subscribe, "_INBOX.abc"), false);
    }
  });

  test("the bucket names are those of the spec store and of serving's routing settings", () => {
    assert.ok(allowed(natsPermissions(ns, "gyre").publish, `$KV.${specBucketName(ns)}.weather`));
    assert.ok(allowed(natsPermissions(ns, "serving").publish, `$KV.${routingBucketName(ns)}.weather`));
    assert.ok(
      allowed(natsPermissions(ns, "validation").publish, `$JS.API.DIRECT.GET.KV_${specBucketName(ns)}.$KV.x.y`),
    );
  });

  test("a bad namespace, nkey or password variable is refused with the value", () => {
    assert.throws(() => natsPermissions("Bad NS", "ingestion"), /Bad NS/);
    assert.throws(
      () => natsAuthorizationConfig(ns, { gyre: { nkey: "SUABC" } }),
      /nkey "SUABC" is not a user public key/,
    );
    assert.throws(
      () => natsAuthorizationConfig(ns, { trainer: { user: "trainer", passwordVariable: "bad-name" } }),
      /password variable "bad-name"/,
    );
    assert.throws(() => natsAuthorizationConfig(ns, {}), /no credentials given/);
  });

  test("a producer may publish data.arrived and labels.arrived of its datasets only, and read its PubAcks on its own inbox", () => {
    const { publish, subscribe } = natsProducerPermissions(ns, { name: "station", datasets: ["weather", "air"] });
    for (const type of EVENT_TYPES) {
      for (const dataset of ["weather", "air", "other"]) {
        const expected = (type === "data.arrived" || type === "labels.arrived") && dataset !== "other";
        assert.equal(allowed(publish, eventSubject(ns, type, dataset)), expected, `${type}.${dataset}`);
      }
    }
    for (const subject of [`${ns}.dlq.ingestion`, `$KV.${specBucketName(ns)}.weather`, "$JS.API.STREAM.LIST"]) {
      assert.equal(allowed(publish, subject), false, subject);
    }
    assert.deepEqual(subscribe, [`${natsInboxPrefix(ns, "producer-station")}.>`]);
  });

  test("a bad producer entry is refused, naming the producer and the value", () => {
    assert.deepEqual(parseNatsProducers({ producers: { station: { datasets: ["weather"] } } }), [
      { name: "station", datasets: ["weather"] },
    ]);
    assert.throws(() => parseNatsProducers({ producers: { "Bad Name": { datasets: ["w"] } } }), /producers\.Bad Name/);
    assert.throws(() => parseNatsProducers({ producers: { s: {} } }), /producers\.s\.datasets: expected a non-empty/);
    assert.throws(() => natsProducerPermissions(ns, { name: "s", datasets: [] }), /producer "s": no datasets/);
    assert.throws(
      () =>
        natsAuthorizationConfig(ns, {}, [
          { producer: { name: "s", datasets: ["w"] }, credential: { user: "ingestion", password: "x" } },
        ]),
      /its NATS user must be "producer-s", not "ingestion"/,
    );
  });
});
