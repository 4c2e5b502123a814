import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { eventSubject, newCloudEvent } from "@gyre/contracts";
import { headers as natsHeaders } from "@nats-io/transport-node";
import { consumerStatus, PermanentError, readDlq } from "../src/index.ts";
import { arrivedEvent, busForTest, waitUntil } from "./harness.ts";

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("failures and the dead-letter queue", () => {
  test("a failing handler is retried with backoff, dead-lettered after maxDeliver, and the consumer keeps running", async (t) => {
    const { harness, bus } = await busForTest(t);
    const deliveries: number[] = [];
    const deliveredAt: number[] = [];
    const handled: string[] = [];
    const observed: string[] = [];
    const consumer = await bus.consume({
      service: "flaky",
      events: ["data.arrived"],
      maxDeliver: 3,
      backoffMs: [150, 300],
      observer: {
        handled: (subject, ms) => observed.push(`handled ${subject.split(".").at(-1)} ${ms >= 0}`),
        failed: (_subject, reason) => observed.push(`failed ${reason}`),
        deadLettered: (_subject, reason) => observed.push(`dead-lettered ${reason}`),
      },
      handler: (event, ctx) => {
        if ((event.data as { batchKey: string }).batchKey.startsWith("fail")) {
          deliveries.push(ctx.deliveryCount);
          deliveredAt.push(performance.now());
          throw new Error("feature store unreachable");
        }
        handled.push(event.id);
      },
    });
    const failing = arrivedEvent("weather", "fail-1");
    await bus.publish(failing, "weather");

    await waitUntil("the failing event in the DLQ", async () => (await readDlq(bus, "flaky")).length === 1);
    const [letter] = await readDlq(bus, "flaky");
    assert.deepEqual(deliveries, [1, 2, 3]);
    const gaps = deliveredAt.slice(1).map((at, index) => at - (deliveredAt[index] ?? at));
    assert.ok(
      (gaps[0] ?? 0) >= 140 && (gaps[1] ?? 0) >= 290,
      `redelivery waits out the backoff: ${gaps.join(", ")} ms`,
    );
    assert.ok(letter);
    assert.match(letter.reason, /failed 3 of 3 deliveries: Error: feature store unreachable/);
    assert.equal(letter.deliveryCount, 3);
    assert.equal(letter.kind, "exhausted");
    assert.equal(letter.service, "flaky");
    assert.equal(letter.originalSubject, eventSubject(harness.namespace, "data.arrived", "weather"));
    assert.equal(letter.originalMsgId, "fail-1");
    assert.deepEqual(JSON.parse(decode(letter.payload)), failing);

    await bus.publish(arrivedEvent("weather", "good-1"), "weather");
    await waitUntil("the later good event handled", () => handled.includes("good-1"));
    await waitUntil("the good event acked", () => consumer.counters.handled === 1);
    assert.deepEqual(consumer.counters, {
      handled: 1,
      retried: 2,
      deadLettered: 1,
      skipped: 0,
      transientRetries: 0,
      inFlight: 0,
    });
    assert.deepEqual(observed, ["failed Error", "failed Error", "dead-lettered exhausted", "handled weather true"]);
    await waitUntil("nothing left to ack", async () => (await consumerStatus(bus, "flaky")).ackPending === 0);
    await consumer.stop();
  });

  test("a PermanentError sends the message to the DLQ on its first delivery", async (t) => {
    const { bus } = await busForTest(t);
    const consumer = await bus.consume({
      service: "strict",
      events: ["data.arrived"],
      handler: () => {
        throw new PermanentError("spec revision 9 does not exist");
      },
    });
    await bus.publish(arrivedEvent("weather", "perm-1"), "weather");
    await waitUntil("the event in the DLQ", async () => (await readDlq(bus, "strict")).length === 1);
    const [letter] = await readDlq(bus, "strict");
    assert.equal(letter?.deliveryCount, 1);
    assert.equal(letter?.kind, "permanent");
    assert.match(letter?.reason ?? "", /permanent failure: PermanentError: spec revision 9 does not exist/);
    await consumer.stop();
  });

  test("a message whose last attempt never finished (crash) goes to the DLQ instead of vanishing", async (t) => {
    const { bus } = await busForTest(t);
    const options = { service: "crashy", events: ["data.arrived"] as const, maxDeliver: 1, ackWaitMs: 1000 };
    const handled: string[] = [];
    await (await bus.consume({ ...options, handler: () => {} })).stop();
    await bus.publish(arrivedEvent("weather", "crash-1"), "weather");
    // a replica takes the only allowed delivery and dies before settling it
    const crashed = await (await bus.jetstream.consumers.get(bus.streams.events, "crashy")).next({ expires: 2000 });
    assert.equal(crashed?.info.deliveryCount, 1);

    const consumer = await bus.consume({ ...options, handler: (event) => void handled.push(event.id) });
    await waitUntil("the lost attempt in the DLQ", async () => (await readDlq(bus, "crashy")).length === 1);
    const [letter] = await readDlq(bus, "crashy");
    assert.equal(letter?.kind, "lost");
    assert.equal(letter?.deliveryCount, 2);
    assert.match(letter?.reason ?? "", /delivered 2 times, more than maxDeliver 1/);
    assert.deepEqual(handled, [], "the handler does not get a delivery beyond its budget");
    await consumer.stop();
  });

  test("malformed JSON and invalid events go to the DLQ at once and never reach the handler", async (t) => {
    const { harness, bus } = await busForTest(t);
    const handled: string[] = [];
    const consumer = await bus.consume({
      service: "picky",
      events: ["data.arrived"],
      handler: (event) => {
        handled.push(event.id);
      },
    });
    const subject = eventSubject(harness.namespace, "data.arrived", "weather");
    const valid = arrivedEvent("weather", "valid-template");
    const { data: _dropped, ...withoutData } = valid;
    const ingested = newCloudEvent("data.ingested", "bus-test", { dataset: "weather" }, { id: "wrong-type" });
    const bodies: [string, string][] = [
      ["not-json", '{"specversion": "1.0", "id": '],
      ["wrong-spec", JSON.stringify({ ...valid, id: "wrong-spec", specversion: "0.3" })],
      ["no-data", JSON.stringify({ ...withoutData, id: "no-data" })],
      ["wrong-type", JSON.stringify(ingested)],
      ["other-dataset", JSON.stringify(arrivedEvent("energy", "other-dataset"))],
    ];
    const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    for (const [id, body] of bodies) {
      const headers = natsHeaders();
      headers.set("traceparent", traceparent);
      await bus.jetstream.publish(subject, body, { msgID: id, headers });
    }
    await bus.publish(arrivedEvent("weather", "after-bad"), "weather");

    await waitUntil("five dead letters", async () => (await readDlq(bus, "picky")).length === 5);
    await waitUntil("the good event handled", () => handled.includes("after-bad"));
    const letters = await readDlq(bus, "picky");
    const byId = new Map(letters.map((letter) => [letter.originalMsgId, letter]));
    const expectedReasons: Record<string, RegExp> = {
      "not-json": /body is not JSON/,
      "wrong-spec": /specversion/,
      "no-data": /data/,
      "wrong-type": /data\.ingested/,
      "other-dataset": /"energy".*"weather"/,
    };
    for (const [id, body] of bodies) {
      const letter = byId.get(id);
      assert.ok(letter, `dead letter for ${id}`);
      assert.equal(letter.deliveryCount, 1, `${id} is dead-lettered on its first delivery`);
      assert.equal(letter.kind, "invalid");
      assert.match(letter.reason, expectedReasons[id] ?? /never/, `reason for ${id}`);
      assert.equal(decode(letter.payload), body, `${id} keeps its original payload`);
      assert.deepEqual(letter.headers.traceparent, [traceparent], `${id} keeps its original headers`);
    }
    assert.deepEqual(handled, ["after-bad"]);
    await consumer.stop();
  });
});
