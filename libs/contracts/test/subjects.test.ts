import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { dlqSubject, EVENT_TYPES, eventFilter, eventSubject, parseEvent, parseEventSubject } from "../src/index.ts";
import { validEvents } from "./fixtures.ts";

describe("event subjects", () => {
  for (const type of EVENT_TYPES) {
    test(`builds and parses back the subject of ${type}`, () => {
      const subject = eventSubject("gyre", type, "seattle-weather");
      assert.equal(subject, `gyre.${type}.seattle-weather`);
      assert.deepEqual(parseEventSubject(subject), { namespace: "gyre", type, dataset: "seattle-weather" });
    });
  }

  const unparsable = [
    "gyre.data.arrived",
    "gyre.data.arrived.weather.extra",
    "gyre.data.exploded.weather",
    "gyre.dlq.ingestion",
    "",
  ];
  for (const subject of unparsable) {
    test(`does not parse ${JSON.stringify(subject)} as an event subject`, () => {
      assert.equal(parseEventSubject(subject), undefined);
    });
  }

  test("builds the filter of one event type over every dataset", () => {
    assert.equal(eventFilter("t1abc", "model.promoted"), "t1abc.model.promoted.*");
  });

  test("builds a service's dead-letter subject", () => {
    assert.equal(dlqSubject("gyre", "feature-store"), "gyre.dlq.feature-store");
  });

  const badParts: { name: string; build: () => string; message: RegExp }[] = [
    {
      name: "a dataset with a dot",
      build: () => eventSubject("gyre", "data.arrived", "a.b"),
      message: /^dataset "a\.b": names/,
    },
    {
      name: "a wildcard dataset",
      build: () => eventSubject("gyre", "data.arrived", "*"),
      message: /^dataset "\*": names/,
    },
    {
      name: "a namespace with a >",
      build: () => eventFilter("gy>re", "data.arrived"),
      message: /^namespace "gy>re": names/,
    },
    {
      name: "a service in capitals",
      build: () => dlqSubject("gyre", "Ingestion"),
      message: /^service "Ingestion": names/,
    },
  ];
  for (const { name, build, message } of badParts) {
    test(`refuses to build a subject from ${name}`, () => {
      assert.throws(build, { name: "InvalidNameError", message });
    });
  }
});

describe("parseEvent envelope", () => {
  test("refuses an event of a type the consumer does not expect, naming both", () => {
    assert.deepEqual(parseEvent(["data.ingested", "data.validated"], validEvents["data.arrived"]), {
      ok: false,
      reason: 'event type "data.arrived": expected one of data.ingested, data.validated',
    });
  });

  test("accepts an event of any of the expected types", () => {
    const result = parseEvent(["model.promoted", "model.rejected"], validEvents["model.rejected"]);
    assert.equal(result.ok && result.event.type, "model.rejected");
  });

  test("refuses a value that is not an event", () => {
    assert.deepEqual(parseEvent("data.arrived", null), {
      ok: false,
      reason: "event type undefined: expected one of data.arrived",
    });
  });

  test("refuses an envelope with a bad specversion and time, naming each", () => {
    const event = { ...validEvents["training.progress"], specversion: "0.3", time: "now" };
    assert.deepEqual(parseEvent("training.progress", event), {
      ok: false,
      reason:
        'training.progress event is invalid: specversion: Invalid input: expected "1.0", got "0.3"; time: Invalid ISO datetime, got "now"',
    });
  });
});
