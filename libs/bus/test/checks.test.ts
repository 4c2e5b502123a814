import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { newCloudEvent } from "@gyre/contracts";
import { backoffFor, resolveConsumeOptions } from "../src/consume-options.ts";
import { planDurable, supportsMultipleFilters } from "../src/durable.ts";
import { checkEventMessage, MAX_EVENT_BYTES } from "../src/event-check.ts";
import { describeStatus } from "../src/status.ts";
import { arrivedEvent } from "./harness.ts";

const bytes = (value: unknown) => new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));

describe("checking a delivered message", () => {
  const subject = "gyre.data.arrived.weather";
  const valid = arrivedEvent("weather", "b1");
  const cases: [string, string, Uint8Array, RegExp | undefined][] = [
    ["accepts a valid event on its own subject", subject, bytes(valid), undefined],
    ["rejects a body that is not JSON", subject, bytes("{nope"), /body is not JSON \(5 bytes\)/],
    ["rejects a body that is not UTF-8", subject, new Uint8Array([0xff, 0xfe]), /body is not JSON/],
    [
      "rejects a subject without a dataset",
      "gyre.data.arrived",
      bytes(valid),
      /not <namespace>.<event type>.<dataset>/,
    ],
    [
      "rejects an unknown event type in the subject",
      "gyre.data.lost.weather",
      bytes(valid),
      /"gyre.data.lost.weather" is not/,
    ],
    ["rejects a wrong specversion", subject, bytes({ ...valid, specversion: "0.3" }), /specversion/],
    [
      "rejects an event of another type than expected",
      subject,
      bytes(newCloudEvent("drift.detected", "t", {})),
      /"drift.detected": expected one of data.arrived/,
    ],
    ["rejects an event naming another dataset", subject, bytes(arrivedEvent("energy", "b2")), /"energy".*"weather"/],
  ];
  for (const [name, messageSubject, body, reason] of cases) {
    test(name, () => {
      const checked = checkEventMessage(messageSubject, body, ["data.arrived"]);
      if (reason === undefined) {
        assert.equal(checked.ok, true, checked.ok ? "" : checked.reason);
      } else {
        assert.equal(checked.ok, false);
        assert.match(checked.ok ? "" : checked.reason, reason);
      }
    });
  }
});

describe("the event size limit", () => {
  const subject = "gyre.data.arrived.weather";

  test("dead-letters a body over the limit unread, naming its size and the limit", () => {
    // Not JSON on purpose: a body over the limit must be refused before it is decoded.
    const checked = checkEventMessage(subject, new Uint8Array(MAX_EVENT_BYTES + 1).fill(0x7b), ["data.arrived"]);
    assert.equal(checked.ok, false);
    assert.match(
      checked.ok ? "" : checked.reason,
      new RegExp(`body of ${MAX_EVENT_BYTES + 1} bytes is over the ${MAX_EVENT_BYTES}-byte`),
    );
  });

  test("takes a valid event at the limit and honours a smaller limit", () => {
    const body = bytes(arrivedEvent("weather", "b1"));
    assert.equal(checkEventMessage(subject, body, ["data.arrived"], body.byteLength).ok, true);
    const smaller = checkEventMessage(subject, body, ["data.arrived"], body.byteLength - 1);
    assert.equal(smaller.ok, false);
  });

  test("rejects a maxEventBytes that is not a whole number", () => {
    const options = { service: "ingestion", events: ["data.arrived"] as const, handler: () => undefined };
    assert.equal(resolveConsumeOptions(options).maxEventBytes, MAX_EVENT_BYTES);
    assert.throws(() => resolveConsumeOptions({ ...options, maxEventBytes: 0 }), /maxEventBytes 0/);
  });
});

describe("durable consumer plan", () => {
  const spec = { namespace: "gyre", stream: "GYRE_GYRE_EVENTS", durable: "trainer", maxDeliver: 5, ackWaitMs: 30_000 };

  test("one event type filters on the server on any version", () => {
    const plan = planDurable({ ...spec, events: ["features.updated"], serverVersion: "2.9.10" });
    assert.equal(plan.config.filter_subject, "gyre.features.updated.*");
    assert.equal(plan.filtersOnClient, false);
  });

  test("several event types use filter_subjects from 2.10 and a client-side filter before", () => {
    const events = ["features.updated", "drift.detected"] as const;
    const modern = planDurable({ ...spec, events, serverVersion: "2.12.1" });
    assert.deepEqual(modern.config.filter_subjects, ["gyre.features.updated.*", "gyre.drift.detected.*"]);
    assert.equal(modern.filtersOnClient, false);
    const old = planDurable({ ...spec, events, serverVersion: "2.9.10" });
    assert.equal(old.config.filter_subject, "gyre.*.*.*");
    assert.equal(old.filtersOnClient, true);
  });

  test("the server allows one delivery more than the handler gets, so a lost last attempt still reaches the DLQ", () => {
    const plan = planDurable({ ...spec, events: ["features.updated"], serverVersion: "2.12.1" });
    assert.equal(plan.config.max_deliver, 6);
    assert.equal(plan.config.ack_policy, "explicit");
  });

  test("server versions compare by major and minor", () => {
    assert.deepEqual(["2.9.25", "2.10.0", "2.11.3", "3.0.0", "garbage"].map(supportsMultipleFilters), [
      false,
      true,
      true,
      true,
      false,
    ]);
  });
});

describe("consume options", () => {
  const base = { service: "trainer", events: ["features.updated"] as const, handler: () => {} };

  test("defaults: durable = service, 4 in flight, 5 deliveries, 1/5/15 s backoff, 30 s ack wait", () => {
    const resolved = resolveConsumeOptions(base);
    assert.deepEqual(
      [resolved.durable, resolved.concurrency, resolved.maxDeliver, resolved.backoffMs, resolved.ackWaitMs],
      ["trainer", 4, 5, [1000, 5000, 15000], 30_000],
    );
  });

  test("rejects bad values naming the option and the value", () => {
    assert.throws(() => resolveConsumeOptions({ ...base, concurrency: 0 }), /concurrency 0/);
    assert.throws(() => resolveConsumeOptions({ ...base, backoffMs: [100, -1] }), /backoffMs\[1\] -1/);
    assert.throws(() => resolveConsumeOptions({ ...base, events: [] }), /events is empty/);
    assert.throws(() => resolveConsumeOptions({ ...base, service: "Trainer" }), /service "Trainer"/);
  });

  test("backoff follows the delivery count and repeats its last value", () => {
    assert.deepEqual(
      [1, 2, 3, 4, 9].map((count) => backoffFor([10, 20, 30], count)),
      [10, 20, 30, 30, 30],
    );
  });
});

test("connection status maps to log events with a level, and pings are dropped", () => {
  assert.deepEqual(describeStatus({ type: "disconnect", server: "127.0.0.1:4222" }), {
    level: "warn",
    event: "nats.disconnect",
    server: "127.0.0.1:4222",
  });
  assert.equal(describeStatus({ type: "error", error: new Error("auth") })?.error, "auth");
  assert.equal(describeStatus({ type: "ping", pendingPings: 1 }), undefined);
});
