import assert from "node:assert/strict";
import { test } from "node:test";
import { eventSubject } from "@gyre/contracts";
import { consumerStatus, readDlq } from "../src/index.ts";
import { arrivedEvent, busForTest, featuresUpdatedEvent, waitUntil } from "./harness.ts";

test("a consumer of two event types gets both and never sees a third", async (t) => {
  const { harness, bus } = await busForTest(t);
  const handledTypes: string[] = [];
  const consumer = await bus.consume({
    service: "two-types",
    events: ["data.arrived", "features.updated"],
    handler: (event) => {
      handledTypes.push(event.type);
    },
  });
  await bus.jetstream.publish(eventSubject(harness.namespace, "data.ingested", "weather"), "{}");
  await bus.publish(arrivedEvent("weather", "a-1"), "weather");
  await bus.publish(featuresUpdatedEvent("weather", "b-1"), "weather");

  await waitUntil("both events handled", () => handledTypes.length === 2);
  await waitUntil("nothing pending", async () => {
    const status = await consumerStatus(bus, "two-types");
    return status.pending === 0 && status.ackPending === 0;
  });
  assert.deepEqual(handledTypes.sort(), ["data.arrived", "features.updated"]);
  assert.deepEqual(await readDlq(bus, "two-types"), [], "the third type is not a failure");
  assert.equal(consumer.counters.deadLettered, 0);
  const { config } = await bus.manager.consumers.info(bus.streams.events, "two-types");
  const filtersOnClient = config.filter_subject === `${harness.namespace}.*.*.*`;
  assert.equal(consumer.counters.skipped, filtersOnClient ? 1 : 0, "only a pre-2.10 server needs the client to skip");
});

test("a consumer whose durable disappears from the server puts it back and keeps consuming", async (t) => {
  const { harness, bus } = await busForTest(t);
  const handled: string[] = [];
  await bus.consume({
    service: "resilient",
    events: ["data.arrived"],
    pullExpiresMs: 1000,
    retryDelayMs: 100,
    concurrency: 1,
    handler: (event) => {
      handled.push(event.id);
    },
  });
  await bus.publish(arrivedEvent("weather", "before"), "weather");
  await waitUntil("the first event handled", () => handled.includes("before"));

  await bus.manager.consumers.delete(bus.streams.events, "resilient");
  await bus.publish(arrivedEvent("weather", "after"), "weather");
  await waitUntil("an event published after the loss handled", () => handled.includes("after"), 15_000);
  const failures = harness.statusEvents.filter((event) => event.event === "consumer.pull_failed");
  assert.ok(failures.length > 0, "the failed pull is reported for the log");
  assert.equal(failures[0]?.service, "resilient");
  assert.equal((await consumerStatus(bus, "resilient")).durable, "resilient");
});
