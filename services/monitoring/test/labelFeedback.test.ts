import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { readDlq } from "@gyre/bus";
import { newEvent } from "@gyre/contracts";
import type { GetServedAccuracyResponse__Output } from "@gyre/grpc";
import { withTransforms } from "../src/batchInputs.ts";
import { MonitoringHarness } from "./harness.ts";
import { allButEveryNth, weatherRows, weatherSpec } from "./weather.ts";

const spec = weatherSpec();
const HOUR = 3_600_000;

interface Served {
  requestId: string;
  label: string;
  at: Date;
}

/** Served accuracy as a client would compute it: the first label of each logged request id, per model version. */
function expectedAccuracy(served: readonly Served[], labels: readonly { requestId: string; label: string }[]) {
  const truth = new Map<string, string>();
  for (const { requestId, label } of labels) if (!truth.has(requestId)) truth.set(requestId, label);
  const labelled = served.filter((record) => truth.has(record.requestId));
  const correct = labelled.filter((record) => truth.get(record.requestId) === record.label);
  return { logged: served.length, labelled: labelled.length, correct: correct.length };
}

describe("monitoring: label feedback on served predictions", () => {
  const harness = new MonitoringHarness(spec);
  /** Each event handled before the next is sent: labels that arrive later are sent later. */
  const handled = (event: string, eventId: string) =>
    harness.monitoring.waitForLog((line) => line.event === event && line.eventId === eventId, 30_000);

  before(async () => {
    const seattle = weatherRows("Seattle");
    const [champion] = await Promise.all([
      harness.train("run-labels", allButEveryNth(withTransforms(spec, seattle), 4)),
      harness.start(),
    ]);
    await harness.publishTrained("run-labels", champion);
    await harness.event("model.promoted", (event) => event.data.version === 1);
  });
  after(() => harness.cleanup());

  it("joins delayed, repeated and unknown labels with the logged predictions and reports served accuracy", async () => {
    const now = Date.now();
    const classes = ["rain", "sun", "fog"];
    // Version 1 answered 40 requests: the first ten two hours ago (their labels will be late), one of several rows.
    const served: Served[] = Array.from({ length: 40 }, (_, index) => ({
      requestId: index === 39 ? "req-multi.1" : `req-${index}`,
      label: classes[index % 3] as string,
      at: new Date(index < 10 ? now - 2 * HOUR : now),
    }));
    // The true weather: the answer on most requests, another class on every fourth.
    const truth = (index: number) => (index % 4 === 0 ? "sun" : (served[index]?.label as string));
    const requestId = (index: number) => served[index]?.requestId as string;

    // Labels for five requests arrive before serving's log of them does.
    const early = [35, 36, 37, 38, 39].map((index) => ({ requestId: requestId(index), label: truth(index) }));
    await harness.publishLabels("labels-early", early);
    await handled("labels.recorded", "labels-early");
    await harness.publishServed("served-a", 1, "champion", served.slice(0, 20));
    await handled("predictions.monitored", "served-a");
    await harness.publishServed("served-b", 1, "champion", served.slice(20));
    await handled("predictions.monitored", "served-b");
    // A shadow saw the same requests; its answers are not what clients received, and are reported apart.
    await harness.publishServed(
      "served-shadow",
      1,
      "shadow",
      served.slice(0, 10).map((record) => ({ ...record, label: "snow" })),
    );
    await handled("predictions.monitored", "served-shadow");

    const first = Array.from({ length: 30 }, (_, index) => ({ requestId: requestId(index), label: truth(index) }));
    const unknown = ["nobody-1", "nobody-2", "nobody-3"].map((id) => ({ requestId: id, label: "rain" }));
    await harness.publishLabels("labels-first", [...first, ...unknown]);
    await handled("labels.recorded", "labels-first");
    // Sent again: three with the same value, two with another (the first label is kept).
    const again = [
      ...[0, 1, 2].map((index) => ({ requestId: requestId(index), label: truth(index) })),
      ...[3, 4].map((index) => ({ requestId: requestId(index), label: "snow" })),
    ];
    const later = [30, 31, 32].map((index) => ({ requestId: requestId(index), label: truth(index) }));
    await harness.publishLabels("labels-again", [...again, ...later]);
    await handled("labels.recorded", "labels-again");
    const sent = [...early, ...first, ...unknown, ...again, ...later];

    let answer: GetServedAccuracyResponse__Output | undefined;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      answer = (await harness.rpc.GetServedAccuracy({
        dataset: harness.dataset,
        period: "hour",
      })) as GetServedAccuracyResponse__Output;
      const logged = answer.versions.reduce((sum, version) => sum + Number(version.logged), 0);
      if (Number(answer.labels?.received) === sent.length && logged === 50) break;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    assert.ok(answer);

    const arrivalOrder = [...early, ...first, ...unknown, ...again, ...later];
    const champion = expectedAccuracy(served, arrivalOrder);
    const shadow = expectedAccuracy(
      served.slice(0, 10).map((record) => ({ ...record, label: "snow" })),
      arrivalOrder,
    );
    assert.deepEqual(
      answer.versions.map((version) => ({
        version: Number(version.model_version),
        role: version.role,
        logged: Number(version.logged),
        labelled: Number(version.labelled),
        correct: Number(version.correct),
        accuracy: version.accuracy,
      })),
      [
        { version: 1, role: "champion", ...champion, accuracy: champion.correct / champion.labelled },
        { version: 1, role: "shadow", ...shadow, accuracy: shadow.correct / shadow.labelled },
      ],
    );
    // 38 of 40 labelled (req-33 and req-34 never were); every fourth answer wrong unless it was "sun", the rest right.
    assert.deepEqual([champion.labelled, champion.correct], [38, 31]);

    // Over time: the two hours-old answers in one period, the rest in the current one; the periods add up.
    const championPeriods = answer.over_time.filter((period) => period.role === "champion");
    assert.equal(championPeriods.length, 2);
    const early10 = expectedAccuracy(served.slice(0, 10), arrivalOrder);
    assert.deepEqual(
      [Number(championPeriods[0]?.labelled), Number(championPeriods[0]?.correct)],
      [early10.labelled, early10.correct],
    );
    assert.equal(
      championPeriods.reduce((sum, period) => sum + Number(period.correct), 0),
      champion.correct,
    );

    assert.deepEqual(
      {
        received: Number(answer.labels?.received),
        duplicates: Number(answer.labels?.duplicates),
        conflicting: Number(answer.labels?.conflicting),
        late: Number(answer.labels?.late),
        unmatched: Number(answer.labels?.unmatched),
        unlabelled: Number(answer.labels?.unlabelled),
      },
      // Late: the ten answers served two hours ago (MONITORING_LABEL_LATE_AFTER is 1 h). Unlabelled: req-33, req-34.
      { received: sent.length, duplicates: 5, conflicting: 2, late: 10, unmatched: 3, unlabelled: 2 },
    );
  });

  it("dead-letters labels of a dataset without a spec, naming it, and records nothing", async () => {
    await harness.bus.publish(
      newEvent("labels.arrived", "producer-test", { dataset: "nowhere", labels: [{ requestId: "r-1", label: "sun" }] }),
      "nowhere",
    );
    const deadline = Date.now() + 20_000;
    for (;;) {
      const letters = await readDlq(harness.bus, "monitoring");
      const letter = letters.find((entry) => new TextDecoder().decode(entry.payload).includes('"dataset":"nowhere"'));
      if (letter) {
        assert.equal(letter.kind, "permanent");
        assert.match(letter.reason, /nowhere/);
        break;
      }
      assert.ok(Date.now() < deadline, "no dead letter for the labels of dataset nowhere");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const answer = (await harness.rpc.GetServedAccuracy({ dataset: "nowhere" })) as GetServedAccuracyResponse__Output;
    assert.equal(Number(answer.labels?.received), 0);
  });

  it("refuses a period it does not know, naming it", async () => {
    await assert.rejects(
      () => harness.rpc.GetServedAccuracy({ dataset: harness.dataset, period: "week" }),
      /period "week": use "hour" or "day"/,
    );
  });
});
