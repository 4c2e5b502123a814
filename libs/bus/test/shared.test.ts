import assert from "node:assert/strict";
import { test } from "node:test";
import { consumerStatus, type EventHandler } from "../src/index.ts";
import { arrivedEvent, busForTest, waitUntil } from "./harness.ts";

const MESSAGES = 1000;

test("one durable shared by two connections processes each of 1,000 events exactly once in total", async (t) => {
  const { harness, bus: first } = await busForTest(t, "first");
  const second = await harness.open("second");
  const deliveries = new Map<string, number>();
  const perInstance = { first: 0, second: 0 };
  const inFlight = { first: 0, second: 0 };
  const mostInFlight = { first: 0, second: 0 };
  const handlerFor =
    (instance: keyof typeof perInstance): EventHandler =>
    async (event) => {
      deliveries.set(event.id, (deliveries.get(event.id) ?? 0) + 1);
      perInstance[instance]++;
      mostInFlight[instance] = Math.max(mostInFlight[instance], ++inFlight[instance]);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight[instance]--;
    };
  const options = { service: "shared", events: ["data.arrived"] as const, concurrency: 4 };
  const consumers = [
    await first.consume({ ...options, handler: handlerFor("first") }),
    await second.consume({ ...options, handler: handlerFor("second") }),
  ];

  const ids = Array.from({ length: MESSAGES }, (_, index) => `batch-${index}`);
  for (let start = 0; start < ids.length; start += 100) {
    await Promise.all(ids.slice(start, start + 100).map((id) => first.publish(arrivedEvent("load", id), "load")));
  }
  const acked = () => consumers.reduce((sum, consumer) => sum + consumer.counters.handled, 0);
  await waitUntil("every event handled and acked", () => acked() >= MESSAGES, 30_000);

  const missing = ids.filter((id) => !deliveries.has(id));
  const repeated = [...deliveries].filter(([, count]) => count > 1).map(([id]) => id);
  assert.deepEqual(missing, [], "no event is missing");
  assert.deepEqual(repeated, [], "no event is handled twice");
  assert.equal(acked(), MESSAGES);
  assert.ok(perInstance.first > 0 && perInstance.second > 0, `both share the work: ${JSON.stringify(perInstance)}`);
  for (const most of Object.values(mostInFlight)) {
    assert.ok(
      most > 1 && most <= 4,
      `handlers run in parallel, at most 4 per instance: ${JSON.stringify(mostInFlight)}`,
    );
  }
  const status = await consumerStatus(first, "shared");
  assert.deepEqual(
    { pending: status.pending, ackPending: status.ackPending, redelivered: status.redelivered },
    { pending: 0, ackPending: 0, redelivered: 0 },
  );
});
