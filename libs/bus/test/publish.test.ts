import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { InvalidNameError } from "@gyre/contracts";
import { type Bus, InvalidEventError, MAX_EVENT_BYTES, ProvisioningError, streamNames } from "../src/index.ts";
import { arrivedEvent, BusHarness } from "./harness.ts";

describe("publish and provisioning", () => {
  const harness = new BusHarness();
  let bus: Bus;

  before(async () => {
    bus = await harness.open("publisher");
  });
  after(() => harness.cleanup());

  test("stream names are uppercase with '-' replaced, one events and one DLQ stream per namespace", () => {
    assert.deepEqual(streamNames("gyre-ci_2"), { events: "GYRE_GYRE_CI_2_EVENTS", dlq: "GYRE_GYRE_CI_2_DLQ" });
    assert.throws(() => streamNames("Gyre"), InvalidNameError);
  });

  test("provisioning creates both streams with the subjects, file storage and a dedupe window", async () => {
    const events = await bus.manager.streams.info(bus.streams.events);
    const dlq = await bus.manager.streams.info(bus.streams.dlq);
    assert.deepEqual(events.config.subjects, [`${harness.namespace}.*.*.*`]);
    assert.deepEqual(dlq.config.subjects, [`${harness.namespace}.dlq.*`]);
    assert.equal(events.config.storage, "file");
    assert.equal(events.config.duplicate_window, 2 * 60 * 1e9);
    assert.ok(dlq.config.max_age > events.config.max_age, "dead letters are kept longer than events");
  });

  test("provisioning again from another replica keeps the streams and their messages", async () => {
    await bus.publish(arrivedEvent("keep", "keep-1"), "keep");
    const before = await bus.manager.streams.info(bus.streams.events);
    const replica = await harness.open("replica");
    await replica.provision({ eventsMaxAgeMs: 3 * 24 * 3600 * 1000 });
    const after = await bus.manager.streams.info(bus.streams.events);
    assert.equal(after.state.messages, before.state.messages);
    assert.equal(after.created, before.created);
    assert.equal(after.config.max_age, 3 * 24 * 3600 * 1e9, "a changed option is applied in place");
  });

  test("publishing the same event id twice stores one message and reports the second as a duplicate", async () => {
    const event = arrivedEvent("dedupe", "batch-42");
    const first = await bus.publish(event, "dedupe");
    const second = await bus.publish(event, "dedupe");
    assert.equal(first.duplicate, false);
    assert.equal(second.duplicate, true);
    assert.equal(second.seq, first.seq);
    assert.equal(first.subject, `${harness.namespace}.data.arrived.dedupe`);
    const info = await bus.manager.streams.info(bus.streams.events, { subjects_filter: first.subject });
    assert.equal(info.state.subjects?.[first.subject], 1);
  });

  test("publish refuses an invalid dataset name, naming it", async () => {
    await assert.rejects(bus.publish(arrivedEvent("weather", "b1"), "Wea ther"), (err: Error) => {
      assert.ok(err instanceof InvalidNameError);
      assert.match(err.message, /"Wea ther"/);
      return true;
    });
  });

  test("publish refuses an event whose data names another dataset than the subject", async () => {
    await assert.rejects(bus.publish(arrivedEvent("energy", "b2"), "weather"), (err: Error) => {
      assert.ok(err instanceof InvalidEventError);
      assert.match(err.message, /"energy".*"weather"/);
      return true;
    });
  });

  test("publish refuses an event over the size limit before sending it, naming its size", async () => {
    const event = {
      ...arrivedEvent("weather", "big"),
      data: { dataset: "weather", batchKey: "big", format: "csv", rows: "x".repeat(MAX_EVENT_BYTES) },
    };
    await assert.rejects(bus.publish(event, "weather"), (err: Error) => {
      assert.ok(err instanceof InvalidEventError);
      assert.match(err.message, new RegExp(`event of \\d+ bytes is over the ${MAX_EVENT_BYTES}-byte event limit`));
      return true;
    });
  });

  test("provisioning refuses a stream that already serves another namespace's subjects", async () => {
    const namespace = `${harness.namespace}-x`;
    const clash = streamNames(namespace).events;
    await bus.manager.streams.add({ name: clash, subjects: [`${harness.namespace}_x.*.*.*`] });
    try {
      await assert.rejects(harness.open("clash", { namespace }), (err: Error) => {
        assert.ok(err instanceof ProvisioningError);
        assert.match(err.message, new RegExp(clash));
        return true;
      });
    } finally {
      await bus.manager.streams.delete(clash);
    }
  });
});
