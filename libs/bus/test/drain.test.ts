import assert from "node:assert/strict";
import { test } from "node:test";
import { consumerStatus } from "../src/index.ts";
import { arrivedEvent, busForTest, sleep, waitUntil } from "./harness.ts";

test("stop() lets the handler in flight finish and acks its message before returning", async (t) => {
  const { bus } = await busForTest(t);
  const timeline: string[] = [];
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const consumer = await bus.consume({
    service: "draining",
    events: ["data.arrived"],
    handler: async (event) => {
      timeline.push(`started ${event.id}`);
      await gate;
      timeline.push(`finished ${event.id}`);
    },
  });
  await bus.publish(arrivedEvent("weather", "slow-1"), "weather");
  await waitUntil("the handler started", () => timeline.length === 1);

  const stopped = consumer.stop().then(() => timeline.push("stopped"));
  await sleep(200);
  assert.deepEqual(timeline, ["started slow-1"], "stop() waits for the handler in flight");
  const released = performance.now();
  release();
  await stopped;
  const drainMs = performance.now() - released;

  assert.deepEqual(timeline, ["started slow-1", "finished slow-1", "stopped"]);
  assert.ok(drainMs < 1000, `idle pulls are abandoned rather than waited out (${Math.round(drainMs)} ms)`);
  const status = await consumerStatus(bus, "draining");
  assert.deepEqual(
    {
      pending: status.pending,
      ackPending: status.ackPending,
      redelivered: status.redelivered,
      acked: status.ackFloorStreamSeq,
    },
    { pending: 0, ackPending: 0, redelivered: 0, acked: 1 },
  );
  assert.equal(consumer.counters.handled, 1);
});

test("stop() right after consume() returns without waiting out the pull requests being set up", async (t) => {
  const { bus } = await busForTest(t);
  const consumer = await bus.consume({ service: "brief", events: ["data.arrived"], handler: () => {} });
  const started = performance.now();
  await consumer.stop();
  const stopMs = performance.now() - started;
  assert.ok(stopMs < 1000, `stopped in ${Math.round(stopMs)} ms, pulls expire after 5000 ms`);
  assert.equal((await consumerStatus(bus, "brief")).waiting, 0, "no pull request is left waiting at the server");
});
