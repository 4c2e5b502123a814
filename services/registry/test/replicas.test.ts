import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createPool } from "@gyre/db";
import { serviceSchema } from "@gyre/service";
import { RegistryHarness } from "./harness.ts";

const DATASET = "burst";
const RUNS = 8;

describe("registry replicas", () => {
  const harness = new RegistryHarness();
  before(() => harness.start([DATASET], 2));
  after(() => harness.cleanup());

  it("numbers a burst of runs 1..N without gaps or repeats across two replicas, each run once", async (t) => {
    const runs = Array.from({ length: RUNS }, (_, index) => harness.trained(DATASET, `burst-${index + 1}`));
    await Promise.all(runs.map((run) => harness.putArtifact(run.artifactKey)));
    // every run once, and the first three twice more under other event ids (a trainer that retried its publish)
    await Promise.all([...runs, ...runs.slice(0, 3), ...runs.slice(0, 3)].map((run) => harness.publishTrained(run)));

    await harness.until(`${RUNS} decisions`, 30_000, () =>
      harness.decisions.length >= RUNS ? harness.decisions : undefined,
    );
    const model = await harness.poll("every version registered", 10_000, async () => {
      const current = await harness.rpc.GetModel({ dataset: DATASET });
      return current.versions.length >= RUNS ? current : undefined;
    });
    assert.deepEqual(
      model.versions.map((version) => Number(version.version)),
      Array.from({ length: RUNS }, (_, index) => index + 1),
    );
    assert.equal(new Set(model.versions.map((version) => version.run_id)).size, RUNS);
    assert.equal(model.versions.filter((version) => version.status === "champion").length, 1);
    assert.equal(model.audit.length, RUNS, "one policy decision per registered version");
    // the first registered version is the champion; the others were compared with no champion by their trainer,
    // so the registry could not compare them on the same holdout and rejected them
    assert.equal(model.aliases.champion, "1");
    const rejected = model.versions.filter((version) => version.status !== "champion");
    for (const version of rejected) assert.match(version.decision_reason, /not comparable on the same holdout/);
    const handled = harness.services.map(
      (service) => service.logs.filter((line) => line.event === "version.registered").length,
    );
    t.diagnostic(`registrations per replica: ${handled.join(", ")}`);
    assert.equal(
      handled.reduce((sum, count) => sum + count, 0),
      RUNS,
      `registrations per replica: ${handled.join(", ")}`,
    );
  });

  it("publishes on start the decisions committed but not published, unless a later decision superseded them", async () => {
    await Promise.all(harness.services.map((service) => service.stop()));
    // what a crash between commit and publish leaves behind, for the latest decision and for an older one
    const pool = createPool({
      connectionString: harness.infra.databaseUrl,
      schema: serviceSchema(harness.namespace, "registry"),
    });
    try {
      await pool.query("UPDATE decisions SET published_at = NULL WHERE event_id = ANY($1)", [
        [`rejected-${DATASET}-3`, `rejected-${DATASET}-${RUNS}`],
      ]);
    } finally {
      await pool.end();
    }
    const restarted = await harness.startReplica();
    // v3's rejection was superseded (v4 became challenger after it); v8's is current. Within JetStream's
    // duplicate window (2 minutes) the repeat of the first publish is dropped.
    const republished = restarted.logs.filter((line) => line.event === "decision.republished");
    assert.deepEqual(
      republished.map((line) => [line.eventId, line.duplicate]),
      [[`rejected-${DATASET}-${RUNS}`, true]],
    );
  });
});
