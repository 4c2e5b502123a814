import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { consumerStatus, isTransientError, readDlq } from "../src/index.ts";
import { arrivedEvent, busForTest, sleep, waitUntil } from "./harness.ts";

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
const named = (name: string, message = "x") => Object.assign(new Error(message), { name });

describe("transient infrastructure failures", () => {
  const cases: [string, unknown, boolean][] = [
    ["PostgreSQL refusing connections", withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"), true],
    [
      "PostgreSQL shutting down (57P01)",
      withCode("terminating connection due to administrator command", "57P01"),
      true,
    ],
    ["PostgreSQL starting up (57P03)", withCode("the database system is starting up", "57P03"), true],
    ["a connection exception (SQLSTATE class 08)", withCode("connection failure", "08006"), true],
    ["node-postgres losing its connection", new Error("Connection terminated unexpectedly"), true],
    ["@gyre/db DatabaseUnavailableError", named("DatabaseUnavailableError"), true],
    ["a wrapped cause", new Error("write failed", { cause: withCode("read ECONNRESET", "ECONNRESET") }), true],
    ["an AggregateError of connection attempts", new AggregateError([withCode("x", "ECONNREFUSED")]), true],
    ["a NATS request timeout", named("TimeoutError", "TIMEOUT"), true],
    ["S3 answering 503", Object.assign(new Error("unavailable"), { $metadata: { httpStatusCode: 503 } }), true],
    ["a unique violation", withCode("duplicate key value violates unique constraint", "23505"), false],
    ["a syntax error", withCode('syntax error at or near "SELEC"', "42601"), false],
    ["a plain handler error", new Error("feature store unreachable"), false],
    ["S3 answering 404", Object.assign(new Error("NoSuchKey"), { $metadata: { httpStatusCode: 404 } }), false],
    ["not an error", "ECONNREFUSED", false],
  ];
  for (const [what, error, transient] of cases) {
    test(`${what} is ${transient ? "" : "not "}transient`, () => assert.equal(isTransientError(error), transient));
  }

  test("a handler failing while PostgreSQL is down is run again in place: no delivery spent, nothing dead-lettered", async (t) => {
    const { bus } = await busForTest(t);
    const deliveries: number[] = [];
    let handled = 0;
    const consumer = await bus.consume({
      service: "outage",
      events: ["data.arrived"],
      maxDeliver: 1,
      retryDelayMs: 20,
      handler: (_event, ctx) => {
        deliveries.push(ctx.deliveryCount);
        if (deliveries.length <= 4) throw withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED");
        handled++;
      },
    });
    await bus.publish(arrivedEvent("weather", "outage-1"), "weather");
    await waitUntil("the event handled", () => handled === 1);
    await waitUntil("nothing pending", async () => (await consumerStatus(bus, "outage")).ackPending === 0);
    assert.deepEqual(deliveries, [1, 1, 1, 1, 1]);
    assert.equal(consumer.counters.transientRetries, 4);
    assert.equal(consumer.counters.deadLettered, 0);
    assert.deepEqual(await readDlq(bus, "outage"), []);
  });

  test("with transientRetryMs 0 the same outage spends the delivery and dead-letters the event", async (t) => {
    const { bus } = await busForTest(t);
    await bus.consume({
      service: "no-patience",
      events: ["data.arrived"],
      maxDeliver: 1,
      transientRetryMs: 0,
      handler: () => {
        throw withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED");
      },
    });
    await bus.publish(arrivedEvent("weather", "outage-2"), "weather");
    await waitUntil("the event in the DLQ", async () => (await readDlq(bus, "no-patience")).length === 1);
    const [letter] = await readDlq(bus, "no-patience");
    assert.equal(letter?.kind, "exhausted");
    await sleep(10);
  });
});
