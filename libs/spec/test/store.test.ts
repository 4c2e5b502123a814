import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { infraFromEnv, uniqueId } from "@gyre/testkit";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import {
  type DatasetSpecInput,
  SPEC_HISTORY,
  type SpecChange,
  SpecInvalidError,
  SpecStore,
  specBucketName,
  specDigest,
  UnknownDatasetError,
  UnknownSpecRevisionError,
} from "../src/index.ts";
import { baseSpec } from "./fixture.ts";

const retrained = (rows: number): DatasetSpecInput => ({ ...baseSpec(), training: { retrainEveryRows: rows } });

describe("SpecStore", () => {
  const namespace = uniqueId("spec");
  let connection: NatsConnection;
  let store: SpecStore;

  before(async () => {
    connection = await connect({ servers: infraFromEnv().natsUrl });
    store = await SpecStore.open(connection, namespace);
  });

  after(async () => {
    await store?.destroy();
    await connection?.close();
  });

  test("opens the same bucket again without error", async () => {
    const again = await SpecStore.open(connection, namespace);
    assert.equal(again.bucket, `gyre_${namespace}_specs`);
    assert.equal(specBucketName(namespace), again.bucket);
  });

  test("applies a spec, keeps revisions, and writes nothing for an identical spec", async () => {
    const first = await store.apply(baseSpec(), { actor: "alice" });
    assert.equal(first.dataset, "weather");
    assert.equal(first.changed, true);
    assert.equal(first.digest, specDigest(baseSpec()));
    assert.ok(first.revision >= 1);

    const same = await store.apply(structuredClone(baseSpec()));
    assert.deepEqual(same, { ...first, changed: false });

    const second = await store.apply(retrained(500), { actor: "bob" });
    assert.equal(second.changed, true);
    assert.ok(second.revision > first.revision, `${second.revision} > ${first.revision}`);

    const current = await store.current("weather");
    assert.equal(current.revision, second.revision);
    assert.equal(current.spec.training.retrainEveryRows, 500);
    assert.equal(current.actor, "bob");
    assert.ok(!Number.isNaN(Date.parse(current.appliedAt)));

    const old = await store.get("weather", first.revision);
    assert.equal(old.spec.training.retrainEveryRows, 300);
    assert.equal(old.actor, "alice");

    const history = await store.history("weather");
    assert.deepEqual(
      history.map((entry) => [entry.revision, entry.spec.training.retrainEveryRows]),
      [
        [first.revision, 300],
        [second.revision, 500],
      ],
    );
    assert.deepEqual(await store.list(), ["weather"]);
  });

  test("refuses an invalid spec without writing it", async () => {
    const invalid = { ...baseSpec(), name: "broken", eventTime: "nowhere" };
    await assert.rejects(store.apply(invalid), SpecInvalidError);
    await assert.rejects(store.current("broken"), UnknownDatasetError);
  });

  test("an unknown dataset or revision is refused with an error naming it", async () => {
    await assert.rejects(store.current("no-such-dataset"), (error: Error) => {
      assert.ok(error instanceof UnknownDatasetError);
      assert.match(error.message, /dataset "no-such-dataset" has no spec in namespace/);
      return true;
    });
    await assert.rejects(store.history("no-such-dataset"), UnknownDatasetError);
    await assert.rejects(store.get("weather", 999_999), (error: Error) => {
      assert.ok(error instanceof UnknownSpecRevisionError);
      assert.match(error.message, /dataset "weather" has no spec revision 999999/);
      return true;
    });
  });

  test("get refuses a revision that belongs to another dataset", async () => {
    const other = await store.apply({ ...baseSpec(), name: "other" });
    await assert.rejects(store.get("weather", other.revision), UnknownSpecRevisionError);
    await store.remove("other");
  });

  test("a revision read once is kept: still readable after the server trimmed it, and each caller gets its own copy", async () => {
    const dataset = "trimmed";
    const first = await store.apply({ ...baseSpec(), name: dataset });
    const read = await store.get(dataset, first.revision);
    read.spec.training.retrainEveryRows = 1; // a caller changing its copy changes nobody else's
    for (let rows = 1000; rows <= 1000 + SPEC_HISTORY; rows++) {
      await store.apply({ ...baseSpec(), name: dataset, training: { retrainEveryRows: rows } });
    }
    const fresh = await SpecStore.open(connection, namespace);
    await assert.rejects(fresh.get(dataset, first.revision), UnknownSpecRevisionError);
    const again = await store.get(dataset, first.revision);
    assert.equal(again.revision, first.revision);
    assert.equal(again.spec.training.retrainEveryRows, 300);
    await store.remove(dataset);
  });

  test("watch delivers current specs, then applies and removals in order", async () => {
    const changes: SpecChange[] = [];
    let notify = () => {};
    const watch = await store.watch((change) => {
      changes.push(change);
      notify();
    });
    const waitFor = async (count: number) => {
      while (changes.length < count) await new Promise<void>((resolve) => (notify = resolve));
    };
    try {
      await waitFor(1);
      assert.deepEqual(
        changes.map((change) => [change.kind, change.dataset]),
        [["applied", "weather"]],
        "the opening snapshot holds the current specs only",
      );

      const applied = await store.apply({ ...baseSpec(), name: "watched" });
      await store.remove("watched");
      await waitFor(3);
      const [seen, removed] = changes.slice(1);
      assert.equal(seen?.kind === "applied" ? seen.spec.name : undefined, "watched");
      assert.equal(seen?.revision, applied.revision);
      assert.equal(removed?.kind, "removed");
      assert.equal(removed?.dataset, "watched");
      assert.ok((removed?.revision ?? 0) > applied.revision);
    } finally {
      watch.stop();
      await watch.closed;
    }
  });

  test("watch with updatesOnly skips the current specs and sees the next apply", async () => {
    const seen: string[] = [];
    let notify = () => {};
    const watch = await store.watch(
      (change) => {
        seen.push(`${change.kind} ${change.dataset}`);
        notify();
      },
      { updatesOnly: true },
    );
    try {
      await store.apply({ ...baseSpec(), name: "later" });
      while (seen.length < 1) await new Promise<void>((resolve) => (notify = resolve));
      assert.deepEqual(seen, ["applied later"]);
    } finally {
      watch.stop();
      await watch.closed;
      await store.remove("later");
    }
  });

  test("a watch whose handler throws ends, and closed rejects with the handler's error", async () => {
    const watch = await store.watch(() => {
      throw new Error("cache is full");
    });
    await assert.rejects(watch.closed, /cache is full/);
  });

  test("a removed dataset has no current spec, keeps its history, and can be applied again", async () => {
    const first = await store.apply({ ...baseSpec(), name: "removable" });
    await store.remove("removable");
    await assert.rejects(store.current("removable"), UnknownDatasetError);
    assert.ok(!(await store.list()).includes("removable"));
    assert.deepEqual(
      (await store.history("removable")).map((entry) => entry.revision),
      [first.revision],
    );
    const again = await store.apply({ ...baseSpec(), name: "removable" });
    assert.equal(again.changed, true);
    assert.equal((await store.current("removable")).revision, again.revision);
  });

  test("concurrent applies of different specs all land as separate revisions", async () => {
    const results = await Promise.all(
      [retrained(601), retrained(602), retrained(603)].map((spec) => store.apply(spec)),
    );
    assert.ok(results.every((result) => result.changed));
    assert.equal(new Set(results.map((result) => result.revision)).size, 3);
    const latest = Math.max(...results.map((result) => result.revision));
    assert.equal((await store.current("weather")).revision, latest);
  });
});
