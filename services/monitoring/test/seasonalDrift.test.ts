import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { DriftReport__Output, ListDriftEventsResponse__Output } from "@gyre/grpc";
import { withTransforms } from "../src/batchInputs.ts";
import { MonitoringHarness } from "./harness.ts";
import { allButEveryNth, weatherRows, weatherSpec } from "./weather.ts";

// Each August of Seattle is a window of its own. Against the champion's whole-year training reference a summer
// month is "drift" every year; against the Augusts of earlier years it is not.
const spec = weatherSpec({ minWindowRows: 25, cooldownSeconds: 0, shareThreshold: 0.3, seasonalReference: true });
const seattle = weatherRows("Seattle");
const august = (year: number) => seattle.filter((row) => row.date.startsWith(`${year}-08-`));

describe("monitoring: same-season drift reference", () => {
  const harness = new MonitoringHarness(spec);

  before(async () => {
    const [champion] = await Promise.all([
      harness.train("run-seasons", allButEveryNth(withTransforms(spec, seattle), 4)),
      harness.start(),
    ]);
    await harness.publishTrained("run-seasons", champion);
    await harness.event("model.promoted", (event) => event.data.version === 1);
    await harness.monitoring.waitForLog((line) => line.event === "champion.loaded" && line.version === 1);
  });
  after(() => harness.cleanup());

  it("compares a window with the same months of earlier years once there are enough of them, and says so", async () => {
    for (const year of [2012, 2013, 2014, 2015]) {
      await harness.publishValidated(`august-${year}`, august(year));
      await harness.monitoring.waitForLog(
        (line) => line.event === "batch.monitored" && line.batchId === `august-${year}`,
      );
    }
    const listed = (await harness.rpc.ListDriftEvents({
      dataset: harness.dataset,
      include_no_drift: true,
    })) as ListDriftEventsResponse__Output;
    const status = new Map(listed.events.map((event) => [event.id, event.status]));
    // 2012 and 2013 have fewer than 50 rows of earlier Augusts: the training reference, and a summer month drifts.
    assert.equal(status.get("batches-1"), "published");
    assert.equal(status.get("batches-2"), "published");
    // 2014 (62 earlier rows) and 2015 (93): the same season, and August looks like August.
    assert.equal(status.get("batches-3"), "no-drift");
    assert.equal(status.get("batches-4"), "no-drift");

    const first = (await harness.rpc.GetDriftReport({
      dataset: harness.dataset,
      id: "batches-1",
    })) as DriftReport__Output;
    assert.match(first.html, /Reference: the training rows of model version 1/);
    const last = (await harness.rpc.GetDriftReport({
      dataset: harness.dataset,
      id: "batches-4",
    })) as DriftReport__Output;
    assert.match(
      last.html,
      /Reference: the same season: months 8 of the years before 2015 \(93 rows seen by monitoring\)/,
    );

    await harness.event("drift.detected", (event) => event.data.window.batchIds?.includes("august-2013") === true);
    const drifts = harness.eventsOf("drift.detected").filter((event) => event.data.kind === "data");
    assert.deepEqual(
      drifts.map((event) => [event.data.window.batchIds, event.data.reference?.kind]),
      [
        [["august-2012"], "training"],
        [["august-2013"], "training"],
      ],
    );
    const month = drifts[0]?.data.features.find((feature) => feature.name === "month");
    assert.deepEqual(month?.firedBy, ["p-value", "wasserstein"], "against the whole year, the month itself drifts");
  });
});
